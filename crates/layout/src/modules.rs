//! A crate's module tree and the references between its modules, read from
//! the sources with syn (rule 3: no circle of imports).
//!
//! Test code is left out: an item under `#[cfg(test)]` is neither a module
//! of the tree nor a source of references. A reference is any `use` or path
//! starting with `crate`, `self`, `super` or the name of a child module; it
//! points at the longest prefix that is a module, following `pub use`
//! re-exports to the module that defines the item.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use crate::Error;

/// A module's path inside its crate: empty for the crate root.
pub type ModulePath = Vec<String>;

/// One module (a file, or an inline `mod x { … }` that is not test code).
#[derive(Debug, Clone)]
pub struct Module {
    /// Where it sits in the tree.
    pub path: ModulePath,
    /// The file holding it.
    pub file: PathBuf,
    /// The names of its child modules.
    children: BTreeSet<String>,
    /// The names of the items it defines itself.
    items: BTreeSet<String>,
    /// Names it re-exports (`pub use a::b::C` → `C` = `a::b::C`).
    reexports: BTreeMap<String, Vec<String>>,
    /// Modules it re-exports wholesale (`pub use a::b::*`).
    glob_reexports: Vec<Vec<String>>,
    /// Every reference it makes.
    references: Vec<Reference>,
}

/// A path mentioned in a module, as written.
#[derive(Debug, Clone)]
struct Reference {
    segments: Vec<String>,
    line: usize,
    /// A `pub use`: a re-export, not a use of its own when it names a
    /// descendant.
    reexport: bool,
    /// Written in a `use` (where a lone child name is the module itself).
    in_use: bool,
}

/// One module's dependency on another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The module that refers.
    pub from: usize,
    /// The module it refers to.
    pub to: usize,
    /// The file and line of the first such reference.
    pub file: PathBuf,
    /// Its line.
    pub line: usize,
    /// The path as written, `::`-joined.
    pub written: String,
}

/// A crate's (or one of its targets') modules and their references.
#[derive(Debug, Clone)]
pub struct ModuleTree {
    /// The modules, the root first.
    pub modules: Vec<Module>,
    index: BTreeMap<ModulePath, usize>,
}

impl ModuleTree {
    /// Reads the tree rooted at `root` (a `lib.rs` or `main.rs`).
    pub fn read(root: &Path) -> Result<ModuleTree, Error> {
        let mut tree = ModuleTree {
            modules: Vec::new(),
            index: BTreeMap::new(),
        };
        let file = parse(root)?;
        let children_dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        tree.read_module(Vec::new(), root, &children_dir, &file.items)?;
        Ok(tree)
    }

    /// The module at `path`, if there is one.
    pub fn find(&self, path: &[String]) -> Option<usize> {
        self.index.get(path).copied()
    }

    /// The module's path written as Rust would (`crate::engine::review`).
    pub fn name(&self, module: usize) -> String {
        let path = &self.modules[module].path;
        if path.is_empty() {
            "crate".to_owned()
        } else {
            format!("crate::{}", path.join("::"))
        }
    }

    fn read_module(
        &mut self,
        path: ModulePath,
        file: &Path,
        children_dir: &Path,
        items: &[syn::Item],
    ) -> Result<(), Error> {
        let at = self.modules.len();
        let mut module = Module {
            path: path.clone(),
            file: file.to_path_buf(),
            children: BTreeSet::new(),
            items: BTreeSet::new(),
            reexports: BTreeMap::new(),
            glob_reexports: Vec::new(),
            references: Vec::new(),
        };
        let items: Vec<&syn::Item> = items
            .iter()
            .filter(|item| !is_test(attributes(item)))
            .collect();
        for item in &items {
            if let syn::Item::Mod(child) = item {
                module.children.insert(child.ident.to_string());
            }
            if let Some(name) = defined_name(item) {
                module.items.insert(name);
            }
        }
        for item in &items {
            match item {
                syn::Item::Use(used) => record_use(&mut module, used),
                syn::Item::Mod(_) => {}
                other => {
                    let mut collector = Collector {
                        references: &mut module.references,
                    };
                    collector.visit_item(other);
                }
            }
        }
        self.index.insert(path.clone(), at);
        self.modules.push(module);
        for item in items {
            let syn::Item::Mod(child) = item else {
                continue;
            };
            let name = child.ident.to_string();
            let mut child_path = path.clone();
            child_path.push(name.clone());
            let grandchildren_dir = children_dir.join(&name);
            match &child.content {
                Some((_, inner)) => {
                    self.read_module(child_path, file, &grandchildren_dir, inner)?
                }
                None => {
                    let child_file =
                        module_file(children_dir, &name).ok_or_else(|| Error::MissingModule {
                            path: file.to_path_buf(),
                            module: name.clone(),
                        })?;
                    let parsed = parse(&child_file)?;
                    self.read_module(child_path, &child_file, &grandchildren_dir, &parsed.items)?;
                }
            }
        }
        Ok(())
    }

    /// Every module-to-module dependency, one per pair (the first reference
    /// found), self-references left out.
    pub fn edges(&self) -> Vec<Edge> {
        let mut edges: BTreeMap<(usize, usize), Edge> = BTreeMap::new();
        for (from, module) in self.modules.iter().enumerate() {
            for reference in &module.references {
                let Some(absolute) = self.absolute(from, &reference.segments, reference.in_use)
                else {
                    continue;
                };
                let to = self.target(&absolute, 0);
                if to == from {
                    continue;
                }
                if reference.reexport && self.is_descendant(to, from) {
                    continue;
                }
                edges.entry((from, to)).or_insert_with(|| Edge {
                    from,
                    to,
                    file: module.file.clone(),
                    line: reference.line,
                    written: reference.segments.join("::"),
                });
            }
        }
        edges.into_values().collect()
    }

    /// Whether `module` lies under `ancestor` (and is not it).
    pub fn is_descendant(&self, module: usize, ancestor: usize) -> bool {
        let (inner, outer) = (&self.modules[module].path, &self.modules[ancestor].path);
        inner.len() > outer.len() && inner.starts_with(outer)
    }

    /// A path written in module `from` made absolute (from the crate root),
    /// or `None` when it names another crate or a local item.
    fn absolute(&self, from: usize, segments: &[String], in_use: bool) -> Option<Vec<String>> {
        let here = &self.modules[from].path;
        let first = segments.first()?;
        match first.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "self" => Some([here.as_slice(), &segments[1..]].concat()),
            "super" => {
                let ups = segments
                    .iter()
                    .take_while(|segment| *segment == "super")
                    .count();
                let base = here.get(..here.len().checked_sub(ups)?)?;
                Some([base, &segments[ups..]].concat())
            }
            // `child::item`: a bare path through a child module (outside a
            // `use`, a lone name is a local binding more often than the
            // module itself).
            name if (in_use || segments.len() > 1)
                && self.modules[from].children.contains(name) =>
            {
                Some([here.as_slice(), segments].concat())
            }
            _ => None,
        }
    }

    /// The module an absolute path lands in: its longest prefix that is a
    /// module, or — when the next name is re-exported there — the module the
    /// re-export comes from.
    fn target(&self, absolute: &[String], depth: usize) -> usize {
        let mut length = absolute.len();
        let module = loop {
            if let Some(module) = self.find(&absolute[..length]) {
                break module;
            }
            length -= 1;
        };
        let Some(name) = absolute.get(length) else {
            return module;
        };
        if depth > 8 || self.modules[module].items.contains(name) {
            return module;
        }
        let rest = &absolute[length + 1..];
        if let Some(source) = self.modules[module].reexports.get(name) {
            if let Some(source) = self.absolute(module, source, true) {
                return self.target(&[source.as_slice(), rest].concat(), depth + 1);
            }
            return module;
        }
        for glob in &self.modules[module].glob_reexports {
            let Some(source) = self.absolute(module, glob, true) else {
                continue;
            };
            let Some(source_module) = self.find(&source) else {
                continue;
            };
            let holder = &self.modules[source_module];
            if holder.items.contains(name)
                || holder.reexports.contains_key(name)
                || holder.children.contains(name)
            {
                let mut path = source;
                path.push(name.clone());
                path.extend_from_slice(rest);
                return self.target(&path, depth + 1);
            }
        }
        module
    }
}

fn parse(path: &Path) -> Result<syn::File, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    syn::parse_file(&text).map_err(|error| Error::Parse {
        path: path.to_path_buf(),
        message: error.to_string(),
    })
}

/// `dir/name.rs` or `dir/name/mod.rs`, whichever exists.
fn module_file(dir: &Path, name: &str) -> Option<PathBuf> {
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|file| file.is_file())
}

/// Whether the attributes put an item under `#[cfg(test)]` (alone or in an
/// `all(…)`), so that it is test code.
pub fn is_test(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && matches!(&attribute.meta, syn::Meta::List(list)
                if list.tokens.clone().into_iter().any(|token| mentions_test(&token)))
    })
}

fn mentions_test(token: &proc_macro2::TokenTree) -> bool {
    match token {
        proc_macro2::TokenTree::Ident(ident) => ident == "test",
        proc_macro2::TokenTree::Group(group) => {
            let tokens: Vec<_> = group.stream().into_iter().collect();
            // `not(test)` is the opposite: code that runs outside tests.
            !matches!(tokens.first(), Some(proc_macro2::TokenTree::Ident(ident)) if ident == "not")
                && tokens.iter().any(mentions_test)
        }
        _ => false,
    }
}

/// An item's attributes (none for the kinds that carry none we care about).
pub fn attributes(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(item) => &item.attrs,
        syn::Item::Enum(item) => &item.attrs,
        syn::Item::ExternCrate(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::ForeignMod(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        syn::Item::Macro(item) => &item.attrs,
        syn::Item::Mod(item) => &item.attrs,
        syn::Item::Static(item) => &item.attrs,
        syn::Item::Struct(item) => &item.attrs,
        syn::Item::Trait(item) => &item.attrs,
        syn::Item::TraitAlias(item) => &item.attrs,
        syn::Item::Type(item) => &item.attrs,
        syn::Item::Union(item) => &item.attrs,
        syn::Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

fn defined_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Macro(item) => item.ident.as_ref()?,
        syn::Item::Static(item) => &item.ident,
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Trait(item) => &item.ident,
        syn::Item::TraitAlias(item) => &item.ident,
        syn::Item::Type(item) => &item.ident,
        syn::Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Records a module-level `use`: every path it brings in, and what it
/// re-exports when it is public.
fn record_use(module: &mut Module, used: &syn::ItemUse) {
    let public = !matches!(used.vis, syn::Visibility::Inherited);
    let (imports, line) = imports_of(used);
    for import in imports {
        if public {
            match &import.bound {
                Some(name) => {
                    module.reexports.insert(name.clone(), import.path.clone());
                }
                None => module.glob_reexports.push(import.path.clone()),
            }
        }
        module.references.push(Reference {
            segments: import.path,
            line,
            reexport: public,
            in_use: true,
        });
    }
}

/// The paths a `use` brings in (none for `use ::name…`, another crate's)
/// and the line it stands on.
fn imports_of(used: &syn::ItemUse) -> (Vec<Import>, usize) {
    let mut imports = Vec::new();
    if used.leading_colon.is_none() {
        expand(&used.tree, Vec::new(), &mut imports);
    }
    (imports, used.use_token.span.start().line)
}

/// One path a `use` tree brings in: `bound` is the name it binds, `None`
/// for a glob.
struct Import {
    path: Vec<String>,
    bound: Option<String>,
}

fn expand(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<Import>) {
    match tree {
        syn::UseTree::Path(path) => {
            let mut prefix = prefix;
            prefix.push(path.ident.to_string());
            expand(&path.tree, prefix, out);
        }
        syn::UseTree::Name(name) if name.ident == "self" => {
            let bound = prefix.last().cloned();
            out.push(Import {
                path: prefix,
                bound,
            });
        }
        syn::UseTree::Name(name) => {
            let mut path = prefix;
            path.push(name.ident.to_string());
            out.push(Import {
                bound: Some(name.ident.to_string()),
                path,
            });
        }
        syn::UseTree::Rename(rename) => {
            let mut path = prefix;
            if rename.ident != "self" {
                path.push(rename.ident.to_string());
            }
            out.push(Import {
                path,
                bound: Some(rename.rename.to_string()),
            });
        }
        syn::UseTree::Glob(_) => out.push(Import {
            path: prefix,
            bound: None,
        }),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                expand(tree, prefix.clone(), out);
            }
        }
    }
}

/// Collects the paths inside an item (signatures, bodies, nested `use`s),
/// skipping test-only functions and attributes.
struct Collector<'a> {
    references: &'a mut Vec<Reference>,
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            self.references.push(Reference {
                segments: path
                    .segments
                    .iter()
                    .map(|segment| segment.ident.to_string())
                    .collect(),
                line: first.ident.span().start().line,
                reexport: false,
                in_use: false,
            });
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, used: &'ast syn::ItemUse) {
        let (imports, line) = imports_of(used);
        for import in imports {
            self.references.push(Reference {
                segments: import.path,
                line,
                reexport: false,
                in_use: true,
            });
        }
    }

    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {}

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    /// `pub(crate)`, `pub(super)`: who may see an item, not a use of a module.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        if !is_test(&function.attrs) {
            syn::visit::visit_impl_item_fn(self, function);
        }
    }

    fn visit_item_fn(&mut self, function: &'ast syn::ItemFn) {
        if !is_test(&function.attrs) {
            syn::visit::visit_item_fn(self, function);
        }
    }
}
