//! `--verify`: the registries' answers for a set of endpoints, from `--verify-cache` or asked
//! (docs/verify.md). The commands turn them into verdicts with [`crate::verify::verify`].

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;

use super::Ctx;
use crate::error::CommandError;
use crate::settings::VerifySettings;
use crate::source::SourceError;
use crate::source::files::{NamedFile, read_named, read_named_text, read_named_text_if_any, write_private};
use crate::verify::auth::{AuthFile, AuthFiles};
use crate::verify::cache::VerifyCache;
use crate::verify::client::{ClientOptions, ask_all};
use crate::verify::{Answer, Endpoint};

/// Answers for every endpoint: those `--verify-cache` holds are replayed, the others asked and
/// added to it. With `-v`, each request is logged (its URL and status; never a credential).
pub(crate) fn answers(
    ctx: &mut Ctx,
    settings: &VerifySettings,
    endpoints: &[Endpoint],
) -> Result<BTreeMap<String, Answer>, CommandError> {
    let limit = ctx.settings.file_limit;
    let cached = match &settings.cache {
        // Only a regular file: isctl writes it too, and a FIFO would block the run.
        Some(path) => {
            read_named_text_if_any(path, limit, NamedFile::RegularOnly).context("reading the verify cache")?
        }
        None => None,
    };
    let mut known = match (&settings.cache, cached) {
        (Some(path), Some(text)) => {
            let cache = VerifyCache::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: not a verify cache: {e}", path.display()))?;
            if let Some(platform) = cache.platform.as_deref().filter(|p| *p != settings.platform) {
                return Err(anyhow::anyhow!(
                    "{}: the answers are for --platform {platform}, not {}; use another cache file",
                    path.display(),
                    settings.platform
                )
                .into());
            }
            cache.answers
        }
        _ => BTreeMap::new(),
    };
    let wanted: Vec<Endpoint> = endpoints.iter().filter(|e| !known.contains_key(&e.key())).cloned().collect();
    if !wanted.is_empty() {
        let options = ClientOptions {
            extra_roots: extra_roots(settings, limit)?,
            credentials: credentials(ctx, settings, limit)?,
            timeout: Duration::from_secs(30),
            deadline: settings.deadline,
            per_registry: 4,
            overall: 16,
            platform: settings.platform.clone(),
        };
        let (asked, log) = ask_all(&wanted, &options);
        for request in log {
            ctx.printer.verbose(1, &format!("{} {} in {} milliseconds", request.line, request.outcome, request.millis));
        }
        known.extend(asked);
        if let Some(path) = &settings.cache {
            // Whole or not at all, never through a link at the path (issue 26, item 4).
            write_private(path, &VerifyCache::new(&settings.platform, known.clone()).to_text())
                .with_context(|| format!("writing the verify cache {}", path.display()))?;
        }
    }
    Ok(known)
}

/// Verifies the current item of every tag: its sources (for `Local`, the node's sources of
/// the recorded reference, which the integrated registry pulls through) asked once each.
pub(crate) fn verify_current_items(
    ctx: &mut Ctx,
    settings: &VerifySettings,
    resolutions: &mut [crate::resolve::StreamResolution],
) -> Result<(), CommandError> {
    let current = crate::resolve::HistoryItem::verified_sources;
    let items = || resolutions.iter().flat_map(|s| s.tags.iter().filter_map(|t| t.history.first()));
    let endpoints: Vec<Endpoint> = items()
        .filter(|item| item.errors.is_empty())
        .flat_map(|item| crate::verify::endpoints(&current(item), settings.include_blocked))
        .collect();
    let answers = answers(ctx, settings, &endpoints)?;
    for item in resolutions.iter_mut().flat_map(|s| s.tags.iter_mut().filter_map(|t| t.history.first_mut())) {
        let pullable = item.errors.is_empty() && item.policy.allowed;
        item.verification = Some(crate::verify::verify(&current(item), pullable, settings.include_blocked, &answers));
    }
    Ok(())
}

/// `--registry-ca`'s certificates, read within `--max-file-size` (a pipe works).
fn extra_roots(
    settings: &VerifySettings,
    limit: u64,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, CommandError> {
    use rustls::pki_types::pem::PemObject;
    let Some(path) = &settings.registry_ca else { return Ok(Vec::new()) };
    let pem = read_named(path, limit, NamedFile::MayBePipe).context("reading --registry-ca")?;
    let certs: Vec<_> = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--registry-ca {}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(anyhow::anyhow!("--registry-ca {}: holds no PEM certificate", path.display()).into());
    }
    Ok(certs)
}

/// The auth files' credentials, each read within `--max-file-size` (a pipe works:
/// `--registry-config <(oc extract ...)`), in containers/image's search order; a default file
/// that is not there is passed over. A file named by `--registry-config` or
/// `REGISTRY_AUTH_FILE` must be there. Errors never quote a file.
fn credentials(ctx: &mut Ctx, settings: &VerifySettings, limit: u64) -> Result<AuthFiles, CommandError> {
    let search = settings.auth.search(|p| p.is_dir());
    if let Some(warning) = &search.warning {
        ctx.printer.warning(warning);
    }
    let mut files = AuthFiles::default();
    for file in &search.files {
        let text = match read_named_text(&file.path, limit, NamedFile::MayBePipe) {
            Ok(text) => text,
            Err(SourceError::Read { source, .. }) if !search.named && source.kind() == std::io::ErrorKind::NotFound => {
                continue;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("reading registry credentials").into()),
        };
        let parsed = AuthFile::parse(&text, file.legacy)
            .map_err(|e| anyhow::anyhow!("registry credentials {}: {e}", file.path.display()))?;
        files.push(file.path.display().to_string(), parsed);
    }
    Ok(files)
}
