//! `kuajing ceb …`: the customs message codec for integrators — validate
//! files, convert between XML and JSON, write an example of any message,
//! sign and verify.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use kuajing_ceb::envelope;
use kuajing_ceb::sign::{SignError, Signer};
use kuajing_ceb::{Decoded, Edition, Issue, MessageType, Options};

use crate::error::CliError;

/// `kuajing ceb …`.
#[derive(Debug, Subcommand)]
pub enum CebCommand {
    /// Check messages against the schema and the business rules: prints
    /// each problem (path, rule, value, official code) and exits 2 if any.
    /// A DxpMsg envelope is checked with the message it carries.
    Validate {
        /// Message files (XML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The edition to hold messages to: 202205 (default) or 2018.
        #[arg(long, default_value = "202205")]
        edition: String,
    },
    /// Convert a message between XML and JSON (the input's kind is read
    /// from its content); writes to standard output.
    Convert {
        /// What to write.
        #[arg(long)]
        to: Format,
        /// The message file.
        file: PathBuf,
    },
    /// Write a valid, arithmetically consistent example of a message type
    /// (e.g. CEB621) to standard output.
    Sample {
        /// The message type: its code (CEB621) or root name (CEB621Message).
        r#type: String,
    },
    /// Sign a declaration with its enveloped XML signature (SM2-SM3 for an
    /// SM2 key, RSA-SHA1 for an RSA key); writes the signed message to
    /// standard output.
    Sign {
        /// The private key, PKCS#8 PEM.
        #[arg(long)]
        key: PathBuf,
        /// The signer's X.509 certificate, PEM.
        #[arg(long)]
        cert: PathBuf,
        /// The certificate number written as ds:KeyName (default: the
        /// certificate's serial number).
        #[arg(long)]
        key_name: Option<String>,
        /// The message file (XML).
        file: PathBuf,
    },
    /// Verify a message's enveloped signature against the certificate it
    /// carries; exits 2 if it does not verify.
    Verify {
        /// The message file (XML), as received.
        file: PathBuf,
    },
    /// Put a message (its exact bytes, signed or not) in a DxpMsg
    /// terminal-node envelope for the e-port; writes it to standard output.
    Wrap {
        /// The sender's DXP id (assigned by the e-port).
        #[arg(long)]
        sender: String,
        /// Receivers' DXP ids (default: DXPEDCCEB0000002 for import,
        /// DXPEDCCEB0000003 for export messages).
        #[arg(long)]
        receiver: Vec<String>,
        /// The sender's message id (default: a new upper-case UUID).
        #[arg(long)]
        cop_msg_id: Option<String>,
        /// The message file (XML).
        file: PathBuf,
    },
}

/// A format to convert to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON keyed by the specification's element names.
    Json,
    /// XML as the specification writes it.
    Xml,
}

/// Runs a `ceb` command.
pub fn run(command: CebCommand) -> Result<(), CliError> {
    match command {
        CebCommand::Validate { files, edition } => validate(&files, &edition),
        CebCommand::Convert { to, file } => convert(to, &file),
        CebCommand::Sample { r#type } => sample(&r#type),
        CebCommand::Sign {
            key,
            cert,
            key_name,
            file,
        } => sign(&key, &cert, key_name, &file),
        CebCommand::Verify { file } => verify(&file),
        CebCommand::Wrap {
            sender,
            receiver,
            cop_msg_id,
            file,
        } => wrap(sender, receiver, cop_msg_id, &file),
    }
}

fn read(file: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(file).map_err(|e| CliError::Input(format!("{}: {e}", file.display())))
}

fn validate(files: &[PathBuf], edition: &str) -> Result<(), CliError> {
    let edition = Edition::parse(edition)
        .ok_or_else(|| CliError::Input(format!("--edition {edition}: use 202205 or 2018")))?;
    let options = Options {
        edition,
        ..Options::default()
    };
    let mut failed = 0;
    for file in files {
        let problems = check_file(file, &options)?;
        let name = file.display();
        if problems.is_empty() {
            println!("{name}: valid");
        } else {
            failed += 1;
            for problem in &problems {
                println!("{name}: {problem}");
            }
            println!("{name}: {} problem(s)", problems.len());
        }
    }
    if failed > 0 {
        return Err(CliError::Input(format!(
            "{failed} of {} file(s) are not valid",
            files.len()
        )));
    }
    Ok(())
}

/// Everything wrong with one file, as lines to print.
fn check_file(file: &Path, options: &Options) -> Result<Vec<String>, CliError> {
    let bytes = read(file)?;
    if envelope::is_envelope(&bytes) {
        let decoded = match envelope::decode_envelope(&bytes, kuajing_ceb::Limits::default()) {
            Ok(decoded) => decoded,
            Err(error) => return Ok(vec![unreadable(&error)]),
        };
        let mut problems: Vec<String> = decoded.issues.iter().map(describe).collect();
        problems.extend(
            envelope::check_envelope(&decoded.envelope)
                .iter()
                .map(describe),
        );
        match decoded
            .envelope
            .terminal()
            .business(kuajing_ceb::Limits::default())
        {
            Ok(business) => problems.extend(message_problems(&business, options)),
            Err(error) => problems.push(format!("DxpMsg/Data: {error} / {}", error.message_zh())),
        }
        return Ok(problems);
    }
    Ok(match kuajing_ceb::decode(&bytes) {
        Ok(decoded) => message_problems(&decoded, options),
        Err(error) => vec![unreadable(&error)],
    })
}

fn message_problems(decoded: &Decoded, options: &Options) -> Vec<String> {
    decoded
        .issues
        .iter()
        .chain(kuajing_ceb::validate_with(&decoded.message, options).iter())
        .map(describe)
        .collect()
}

fn describe(issue: &Issue) -> String {
    let code = issue.code.map(|c| format!("[{c}] ")).unwrap_or_default();
    format!(
        "{code}{}: {} / {} ({})",
        issue.path,
        issue.detail_en(),
        issue.detail_zh(),
        issue.rule_code()
    )
}

fn unreadable(error: &kuajing_ceb::DecodeError) -> String {
    format!("[{}] {error} / {}", error.code(), error.message_zh())
}

fn convert(to: Format, file: &Path) -> Result<(), CliError> {
    let bytes = read(file)?;
    let is_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{');
    let decoded = if is_json {
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| CliError::Input(format!("{}: not JSON: {e}", file.display())))?;
        let decoded = kuajing_ceb::from_json(&value)
            .map_err(|e| CliError::Input(format!("{}: {e}", file.display())))?;
        if !decoded.issues.is_empty() {
            for issue in &decoded.issues {
                eprintln!("{}: {}", file.display(), describe(issue));
            }
            return Err(CliError::Input(format!(
                "{}: {} problem(s) in the JSON; nothing written",
                file.display(),
                decoded.issues.len()
            )));
        }
        decoded
    } else {
        let decoded = kuajing_ceb::decode(&bytes)
            .map_err(|e| CliError::Input(format!("{}: {}", file.display(), unreadable(&e))))?;
        for issue in &decoded.issues {
            eprintln!("{}: warning: {}", file.display(), describe(issue));
        }
        decoded
    };
    let output = match to {
        Format::Xml => kuajing_ceb::encode(&decoded.message),
        Format::Json => {
            let json = kuajing_ceb::to_json(&decoded.message);
            let mut text = serde_json::to_string_pretty(&json)
                .map_err(|e| CliError::Failure(e.to_string()))?;
            text.push('\n');
            text
        }
    };
    write_stdout(&output)
}

fn sample(name: &str) -> Result<(), CliError> {
    let message_type = MessageType::parse(name).ok_or_else(|| {
        let known: Vec<&str> = MessageType::ALL.iter().map(|t| t.code()).collect();
        CliError::Input(format!(
            "{name} is not a message type; one of: {}",
            known.join(" ")
        ))
    })?;
    // Dated today: an integrator sends it as it is, and a list dated far
    // from the day the platform receives it is refused.
    write_stdout(&kuajing_ceb::encode(&kuajing_ceb::sample::dated_today(
        message_type,
    )))
}

fn sign(key: &Path, cert: &Path, key_name: Option<String>, file: &Path) -> Result<(), CliError> {
    let signer = Signer::from_pem(&read(key)?, &read(cert)?, key_name)
        .map_err(|e| CliError::Input(format!("{}: {}", key.display(), sign_error(&e))))?;
    let bytes = read(file)?;
    let decoded = kuajing_ceb::decode(&bytes)
        .map_err(|e| CliError::Input(format!("{}: {}", file.display(), unreadable(&e))))?;
    if !decoded.issues.is_empty() {
        for issue in &decoded.issues {
            eprintln!("{}: {}", file.display(), describe(issue));
        }
        return Err(CliError::Input(format!(
            "{}: the message does not follow its schema; nothing signed",
            file.display()
        )));
    }
    let mut message = decoded.message;
    let signed = kuajing_ceb::sign::sign(&mut message, &signer)
        .map_err(|e| CliError::Input(format!("{}: {}", file.display(), sign_error(&e))))?;
    write_stdout(&signed)
}

fn verify(file: &Path) -> Result<(), CliError> {
    let bytes = read(file)?;
    let verified = kuajing_ceb::sign::verify(&bytes)
        .map_err(|e| CliError::Input(format!("{}: {}", file.display(), sign_error(&e))))?;
    println!(
        "{}: signature valid ({}, digest {}); signer {}; issuer {}; serial {}; key name {}",
        file.display(),
        verified.algorithm.name(),
        verified.digest.name(),
        verified.subject,
        verified.issuer,
        verified.serial,
        verified.key_name.as_deref().unwrap_or("-")
    );
    Ok(())
}

fn wrap(
    sender: String,
    receivers: Vec<String>,
    cop_msg_id: Option<String>,
    file: &Path,
) -> Result<(), CliError> {
    let bytes = read(file)?;
    let decoded = kuajing_ceb::decode(&bytes)
        .map_err(|e| CliError::Input(format!("{}: {}", file.display(), unreadable(&e))))?;
    let message_type = decoded.message.message_type();
    let receiver_ids = if receivers.is_empty() {
        vec![match message_type.direction() {
            kuajing_ceb::Direction::Import => envelope::IMPORT_RECEIVER.to_owned(),
            kuajing_ceb::Direction::Export => envelope::EXPORT_RECEIVER.to_owned(),
        }]
    } else {
        receivers
    };
    let routing = envelope::Routing {
        cop_msg_id: cop_msg_id.unwrap_or_else(|| {
            uuid::Uuid::new_v4()
                .hyphenated()
                .to_string()
                .to_ascii_uppercase()
        }),
        sender_id: sender,
        receiver_ids,
        created: china_time_now(),
    };
    let message = envelope::wrap(&bytes, message_type, &routing);
    let wrapped = envelope::Envelope::Terminal(Box::new(message));
    let problems = envelope::check_envelope(&wrapped);
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{}", describe(problem));
        }
        return Err(CliError::Input(
            "the envelope would not be valid; nothing written".to_owned(),
        ));
    }
    write_stdout(&envelope::encode_envelope(&wrapped))
}

/// Now in China's local time (UTC+8, the time the specification's fields
/// are written in), as `yyyy-MM-ddTHH:mm:ss`.
fn china_time_now() -> String {
    let now = kuajing_exchange::time_format::in_china(kuajing_core::timestamp::Timestamp::now());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

fn sign_error(error: &SignError) -> String {
    format!(
        "[{}] {} / {}",
        error.code(),
        error.message_en(),
        error.message_zh()
    )
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Failure(format!("cannot write to standard output: {e}")))
}
