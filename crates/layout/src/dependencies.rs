//! The workspace's crates and what each depends on, as `cargo metadata`
//! reports them (rule 2: HTTP only at the edge).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::Error;

/// One crate of the workspace.
#[derive(Debug, Clone)]
pub struct Member {
    /// The package name (`kuajing-import`).
    pub name: String,
    /// The directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    /// Its library or binary roots (`src/lib.rs`, `src/main.rs`).
    pub roots: Vec<PathBuf>,
    /// Every dependency it declares, of any kind.
    pub dependencies: Vec<Dependency>,
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package depended on (the real name, not a rename).
    pub name: String,
    /// `normal`, `dev` or `build`.
    pub kind: String,
}

/// The crates of the workspace at `root`, from `cargo metadata --no-deps`
/// (which lists only the workspace's own packages). Uses the `cargo` that
/// runs the tests (`$CARGO`) when there is one.
pub fn members(root: &Path) -> Result<Vec<Member>, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .output()
        .map_err(|source| Error::Io {
            path: root.join("Cargo.toml"),
            source,
        })?;
    if !output.status.success() {
        return Err(Error::Metadata(
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| Error::Metadata(error.to_string()))?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| Error::Metadata("no packages".into()))?;
    packages.iter().map(member).collect()
}

fn member(package: &Value) -> Result<Member, Error> {
    let text = |value: &Value, what: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Metadata(format!("a package without {what}")))
    };
    let name = text(&package["name"], "a name")?;
    let manifest = PathBuf::from(text(&package["manifest_path"], "a manifest")?);
    let dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
    let roots = package["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|target| {
            target["kind"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|kind| kind == "lib" || kind == "bin")
        })
        .filter_map(|target| target["src_path"].as_str().map(PathBuf::from))
        .collect();
    let dependencies = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|dependency| {
            Ok(Dependency {
                name: text(&dependency["name"], "a dependency name")?,
                kind: dependency["kind"].as_str().unwrap_or("normal").to_owned(),
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(Member {
        name,
        dir,
        roots,
        dependencies,
    })
}

/// Whether a package belongs to the HTTP server stack the system crates must
/// not know: the web framework, its templates, the tower middleware and the
/// HTTP types themselves. (`reqwest`, the outgoing client the registry's
/// webhook delivery uses, is a client of other systems, not this stack.)
pub fn is_http_stack(package: &str) -> bool {
    const EXACT: [&str; 4] = ["axum", "hyper", "http", "headers"];
    const PREFIXES: [&str; 7] = [
        "axum-",
        "axum_",
        "askama",
        "tower",
        "hyper-",
        "http-body",
        "utoipa-axum",
    ];
    EXACT.contains(&package) || PREFIXES.iter().any(|prefix| package.starts_with(prefix))
}
