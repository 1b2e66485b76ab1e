//! krew-manifest.yaml checked offline against krew's own validation rules.
//!
//! krew's validator (`validate-krew-manifest`) cannot be installed here, so its rules are
//! re-implemented from krew's source (kubernetes-sigs/krew):
//! - `internal/index/validation/validate.go`: `ValidatePlugin`, `IsSafePluginName`,
//!   `isSupportedAPIVersion`, `isValidSHA256`, `validatePlatform`, `validateFiles`,
//!   `validateSelector`;
//! - `internal/installation/semver/version.go` (`Parse`) on top of apimachinery's
//!   `version.ParseSemantic`;
//! - `cmd/validate-krew-manifest/main.go`: `findAnyMatchingPlatform` (every platform is used),
//!   `isOverlappingPlatformSelectors` over `allPlatforms()`, `licenseFiles`;
//! - `internal/installation/install.go` and `move.go`: what `bin` and `files` must satisfy for
//!   the install (the step `validate-krew-manifest` runs after the structural checks) to work.
//!
//! On top of krew come this project's rules: krew-index's 50-character shortDescription, the
//! version equal to Cargo.toml's, the five release platforms with the archive names the release
//! workflow produces, LICENSE in every archive's `files`.
//!
//! Every check is a function returning `Result<(), String>`, used both on the committed manifest
//! and on mutated copies that must fail: a validator that cannot fail proves nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

// ---------------------------------------------------------------------------------------------
// Schema: krew's pkg/index/types.go (Plugin, PluginSpec, Platform, FileOperation) and
// metav1.LabelSelector. Missing strings default to "" as in Go, so the emptiness checks below
// see what krew sees. `Option` keeps Go's nil-versus-empty distinction where krew relies on it
// (`files`, `selector`, `matchLabels`, `matchExpressions`).
//
// krew decodes leniently (indexscanner's decodeFile uses yaml.Unmarshal, not UnmarshalStrict):
// a misspelt optional key such as `caveat` or `file` would silently vanish there. We refuse
// unknown keys so that such a typo fails here instead.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Plugin {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: Spec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    #[serde(default)]
    name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Spec {
    #[serde(default)]
    version: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    caveats: String,
    #[serde(default)]
    homepage: String,
    #[serde(default)]
    platforms: Vec<Platform>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Platform {
    #[serde(default)]
    uri: String,
    #[serde(default)]
    sha256: String,
    selector: Option<LabelSelector>,
    files: Option<Vec<FileOperation>>,
    #[serde(default)]
    bin: String,
    /// types.go keeps a `license` field on Platform; krew ignores it, but it is not unknown.
    #[serde(default, rename = "license")]
    _license: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LabelSelector {
    match_labels: Option<BTreeMap<String, String>>,
    match_expressions: Option<Vec<Requirement>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Requirement {
    key: String,
    operator: String,
    #[serde(default)]
    values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOperation {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

// ---------------------------------------------------------------------------------------------
// krew's rules.
// ---------------------------------------------------------------------------------------------

/// constants.CurrentAPIVersion and constants.PluginKind.
const API_VERSION: &str = "krew.googlecontainertools.github.com/v1alpha2";
const KIND: &str = "Plugin";

/// validate.go `windowsForbidden`: Windows device names cannot be file names there.
const WINDOWS_FORBIDDEN: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// main.go `allPlatforms()`: the <os, arch> pairs krew checks selectors against.
const KREW_PLATFORMS: [(&str, &str); 11] = [
    ("windows", "386"),
    ("windows", "amd64"),
    ("windows", "arm64"),
    ("linux", "386"),
    ("linux", "amd64"),
    ("linux", "arm"),
    ("linux", "arm64"),
    ("linux", "ppc64le"),
    ("darwin", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

/// main.go `licenseFiles`: the install must extract one of these (compared lower-cased).
const LICENSE_FILES: [&str; 8] =
    ["license", "license.txt", "license.md", "licenses", "licenses.txt", "licenses.md", "copying", "copying.txt"];

/// validate.go `IsSafePluginName`: `^[\w-]+$` (Go's `\w` is ASCII `[0-9A-Za-z_]`) and not a
/// Windows device name, compared case-insensitively (strings.EqualFold).
fn is_safe_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !WINDOWS_FORBIDDEN.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// validate.go `isValidSHA256`: `^[a-f0-9]{64}$`, so upper-case hex is refused.
fn is_valid_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// semver.Parse: a leading `v` (checked first, before apimachinery's own optional `v`), then
/// version.ParseSemantic: exactly three numeric components without leading zeros, optional
/// `-pre.release` and `+build` whose identifiers are `[0-9A-Za-z-]+`, numeric pre-release
/// identifiers without leading zeros, trailing whitespace tolerated (extraMatchRE's `\s*$`).
fn parse_krew_semver(s: &str) -> Result<(), String> {
    let Some(rest) = s.strip_prefix('v') else {
        return Err(format!("version string {s:?} not starting with 'v'"));
    };
    let numbers_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    // versionMatchRE's `[0-9]+(?:\.[0-9]+)*` cannot end in a dot: the dot goes to "extra".
    let numbers_end = if rest[..numbers_end].ends_with('.') { numbers_end - 1 } else { numbers_end };
    let (numbers, extra) = rest.split_at(numbers_end);
    let components: Vec<&str> = numbers.split('.').collect();
    if numbers.is_empty() || components.iter().any(|c| c.is_empty()) {
        return Err(format!("could not parse {s:?} as version"));
    }
    if components.len() != 3 {
        return Err(format!("illegal version string {s:?}"));
    }
    if let Some(c) = components.iter().find(|c| c.starts_with('0') && c.len() > 1) {
        return Err(format!("illegal zero-prefixed version component {c:?} in {s:?}"));
    }
    let extra = extra.trim_end();
    if extra.is_empty() {
        return Ok(());
    }
    let (pre, build) = match extra.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (extra, None),
    };
    let identifiers_ok = |part: &str| {
        part.split('.').all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    let pre_ok = pre.is_empty() || pre.strip_prefix('-').is_some_and(identifiers_ok);
    if !pre_ok || !build.is_none_or(identifiers_ok) {
        return Err(format!("could not parse pre-release/metadata ({extra}) in version {s:?}"));
    }
    let pre = pre.strip_prefix('-').unwrap_or("");
    if let Some(id) =
        pre.split('.').find(|id| id.len() > 1 && id.starts_with('0') && id.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("illegal zero-prefixed version component {id:?} in {s:?}"));
    }
    Ok(())
}

/// validate.go `ValidatePlugin`, in krew's order. `name` is the manifest's file name without
/// `.yaml` (validate-krew-manifest's `pluginNameFromFileName`).
fn validate_plugin(name: &str, p: &Plugin) -> Result<(), String> {
    if p.api_version != API_VERSION {
        return Err(format!("plugin manifest has apiVersion={:?}, not supported", p.api_version));
    }
    if p.kind != KIND {
        return Err(format!("plugin manifest has kind={:?}, but only {KIND:?} is supported", p.kind));
    }
    if !is_safe_plugin_name(name) {
        return Err(format!("the plugin name {name:?} is not allowed, must match \"^[\\w-]+$\""));
    }
    if p.metadata.name != name {
        return Err(format!("plugin should be named {name:?}, not {:?}", p.metadata.name));
    }
    if p.spec.short_description.is_empty() {
        return Err("should have a short description".into());
    }
    if p.spec.short_description.contains(['\r', '\n']) {
        return Err("should not have line breaks in short description".into());
    }
    if p.spec.platforms.is_empty() {
        return Err("should have a platform specified".into());
    }
    if p.spec.version.is_empty() {
        return Err("should have a version specified".into());
    }
    parse_krew_semver(&p.spec.version).map_err(|e| format!("failed to parse plugin version: {e}"))?;
    for (i, pl) in p.spec.platforms.iter().enumerate() {
        validate_platform(pl).map_err(|e| format!("platform [{i}] is badly constructed: {e}"))?;
    }
    Ok(())
}

/// validate.go `validatePlatform`.
fn validate_platform(p: &Platform) -> Result<(), String> {
    if p.uri.is_empty() {
        return Err("`uri` has to be set".into());
    }
    if p.sha256.is_empty() {
        return Err("`sha256` sum has to be set".into());
    }
    if !is_valid_sha256(&p.sha256) {
        return Err(format!("`sha256` value {} is not valid, must match pattern ^[a-f0-9]{{64}}$", p.sha256));
    }
    if p.bin.is_empty() {
        return Err("`bin` has to be set".into());
    }
    validate_files(p.files.as_deref()).map_err(|e| format!("`files` is invalid: {e}"))?;
    validate_selector(p.selector.as_ref()).map_err(|e| format!("invalid platform selector: {e}"))
}

/// validate.go `validateFiles`: absent is fine (krew then copies everything), present must be
/// non-empty with `from` and `to` on every entry.
fn validate_files(files: Option<&[FileOperation]>) -> Result<(), String> {
    let Some(files) = files else { return Ok(()) };
    if files.is_empty() {
        return Err("`files` has to be unspecified or non-empty".into());
    }
    for op in files {
        if op.from.is_empty() {
            return Err("`from` field has to be set".into());
        }
        if op.to.is_empty() {
            return Err("`to` field has to be set".into());
        }
    }
    Ok(())
}

/// validate.go `validateSelector`.
fn validate_selector(sel: Option<&LabelSelector>) -> Result<(), String> {
    let Some(sel) = sel else { return Err("nil selector is not supported".into()) };
    let expressions = sel.match_expressions.as_deref().unwrap_or_default();
    if sel.match_labels.is_none() && expressions.is_empty() {
        return Err("empty selector is not supported".into());
    }
    let keys = sel.match_labels.iter().flat_map(|m| m.keys()).chain(expressions.iter().map(|e| &e.key));
    for key in keys {
        if key != "os" && key != "arch" {
            return Err(format!("key {key:?} not supported"));
        }
    }
    if sel.match_labels.as_ref().is_some_and(|m| m.is_empty()) {
        return Err("`matchLabels` specified but empty".into());
    }
    if sel.match_expressions.as_ref().is_some_and(|e| e.is_empty()) {
        return Err("`matchExpressions` specified but empty".into());
    }
    Ok(())
}

/// apimachinery's label value syntax, which LabelSelectorAsSelector enforces: at most 63
/// characters of `[A-Za-z0-9_.-]`, starting and ending alphanumeric, or empty.
fn is_label_value(v: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    v.is_empty()
        || (v.len() <= 63
            && v.chars().all(ok_char)
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

/// main.go `selectorMatchesOSArch`: metav1.LabelSelectorAsSelector, then Matches against the
/// label set {os, arch}. A nil selector matches nothing, an empty one everything; a selector
/// that does not convert (bad operator, values where none belong) is an error, which krew logs
/// and treats as "no match".
fn selector_matches(sel: Option<&LabelSelector>, os: &str, arch: &str) -> Result<bool, String> {
    let Some(sel) = sel else { return Ok(false) };
    let label = |key: &str| match key {
        "os" => Some(os),
        "arch" => Some(arch),
        _ => None,
    };
    let mut matches = true;
    for (key, value) in sel.match_labels.iter().flatten() {
        if !is_label_value(value) {
            return Err(format!("invalid label value {value:?} for {key:?}"));
        }
        matches &= label(key) == Some(value.as_str());
    }
    for req in sel.match_expressions.iter().flatten() {
        if let Some(v) = req.values.iter().find(|v| !is_label_value(v)) {
            return Err(format!("invalid label value {v:?} for {:?}", req.key));
        }
        let value = label(&req.key);
        let in_values = value.is_some_and(|v| req.values.iter().any(|x| x == v));
        matches &= match req.operator.as_str() {
            "In" | "NotIn" if req.values.is_empty() => {
                return Err(format!("{:?}: values must be non-empty for {}", req.key, req.operator));
            }
            "Exists" | "DoesNotExist" if !req.values.is_empty() => {
                return Err(format!("{:?}: values must be empty for {}", req.key, req.operator));
            }
            "In" => in_values,
            "NotIn" => !in_values,
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            op => return Err(format!("{op:?} is not a valid label selector operator")),
        };
    }
    Ok(matches)
}

/// main.go, "make sure each platform matches a supported platform": a platform entry that no
/// supported <os, arch> selects is dead (or its selector does not convert).
fn validate_platforms_used(platforms: &[Platform]) -> Result<(), String> {
    for (i, p) in platforms.iter().enumerate() {
        let mut used = false;
        for (os, arch) in KREW_PLATFORMS {
            used |= selector_matches(p.selector.as_ref(), os, arch).map_err(|e| format!("spec.platform[{i}]: {e}"))?;
        }
        if !used {
            return Err(format!("spec.platform[{i}]'s selector doesn't match any supported platforms"));
        }
    }
    Ok(())
}

/// main.go `isOverlappingPlatformSelectors`: no <os, arch> may be selected by two platform
/// entries, since krew silently installs the first match. krew tries its `allPlatforms()`; we
/// also try every os and arch value a selector mentions (crossed with the known ones), so an
/// overlap on a platform krew does not list yet (say linux/riscv64) fails too.
fn validate_selectors_dont_overlap(platforms: &[Platform]) -> Result<(), String> {
    let mut oses: BTreeSet<&str> = KREW_PLATFORMS.iter().map(|(os, _)| *os).collect();
    let mut arches: BTreeSet<&str> = KREW_PLATFORMS.iter().map(|(_, arch)| *arch).collect();
    for sel in platforms.iter().filter_map(|p| p.selector.as_ref()) {
        for (key, value) in sel.match_labels.iter().flatten() {
            match key.as_str() {
                "os" => oses.insert(value.as_str()),
                _ => arches.insert(value.as_str()),
            };
        }
        for req in sel.match_expressions.iter().flatten() {
            let set = if req.key == "os" { &mut oses } else { &mut arches };
            set.extend(req.values.iter().map(String::as_str));
        }
    }
    for os in &oses {
        for arch in &arches {
            let matching: Vec<usize> = platforms
                .iter()
                .enumerate()
                .filter(|(_, p)| selector_matches(p.selector.as_ref(), os, arch).unwrap_or(false))
                .map(|(i, _)| i)
                .collect();
            if matching.len() > 1 {
                let at = format!("at indexes {matching:?}");
                return Err(format!(
                    "multiple spec.platforms ({at}) have overlapping selectors that select {os}/{arch}"
                ));
            }
        }
    }
    Ok(())
}

/// move.go `findMoveTargets` refuses a `to` that is not filepath.Clean'ed; move.go
/// `isMoveAllowed` and install.go (`pathutil.IsSubPath` on `bin`) refuse paths that leave the
/// archive or the install directory. krew takes `/`-separated paths (filepath.FromSlash), so a
/// backslash is not a separator it honours, and an absolute path or `..` escapes.
fn validate_relative_clean_path(what: &str, path: &str) -> Result<(), String> {
    let clean = path == "."
        || (!path.is_empty()
            && !path.starts_with('/')
            && !path.contains('\\')
            && !path.contains(':')
            && path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != ".."));
    if clean {
        Ok(())
    } else {
        Err(format!("{what} {path:?} is not a clean relative path inside the install directory"))
    }
}

/// What the install step of validate-krew-manifest needs from one platform, beyond the
/// structural checks: clean paths, `bin` present after the `files` moves, and a LICENSE-like
/// file extracted (main.go `validateLicenseFileExists`). With `files` absent krew copies the
/// whole archive, which has LICENSE; ours lists files, so LICENSE must be among them.
fn validate_install_layout(p: &Platform) -> Result<(), String> {
    validate_relative_clean_path("`bin`", &p.bin)?;
    let files = p.files.as_deref().unwrap_or_default();
    let mut installed = BTreeSet::new();
    for op in files {
        validate_relative_clean_path("`from`", &op.from)?;
        validate_relative_clean_path("`to`", &op.to)?;
        // getDirectMove: `to: .` keeps the source's base name.
        let base = op.from.rsplit('/').next().unwrap_or(&op.from);
        installed.insert(if op.to == "." { base.to_string() } else { op.to.clone() });
    }
    if p.files.is_some() && !installed.contains(&p.bin) {
        return Err(format!("`bin` {:?} is not among the files installed: {installed:?}", p.bin));
    }
    if p.files.is_some() && !installed.iter().any(|f| LICENSE_FILES.contains(&f.to_ascii_lowercase().as_str())) {
        return Err(format!("no LICENSE-like file among the files installed: {installed:?}"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// This project's rules.
// ---------------------------------------------------------------------------------------------

/// The plugin name, hence the file name the release publishes the rendered manifest under
/// (validate-krew-manifest takes the name from the file name).
const PLUGIN_NAME: &str = "ds";
const RELEASES: &str = "https://github.com/kubectl-ds/kubectl-ds/releases/download";

/// The release platforms: krew's os/arch, the Rust target the workflow builds, the archive
/// format (krew unpacks by content; Windows users expect a zip) and the executable name (on
/// Windows only `.exe` entry points run, and krew's link is `kubectl-ds.exe`).
const RELEASE_PLATFORMS: [(&str, &str, &str, &str, &str); 5] = [
    ("linux", "amd64", "x86_64-unknown-linux-musl", "tar.gz", "kubectl-ds"),
    ("linux", "arm64", "aarch64-unknown-linux-musl", "tar.gz", "kubectl-ds"),
    ("darwin", "amd64", "x86_64-apple-darwin", "tar.gz", "kubectl-ds"),
    ("darwin", "arm64", "aarch64-apple-darwin", "tar.gz", "kubectl-ds"),
    ("windows", "amd64", "x86_64-pc-windows-msvc", "zip", "kubectl-ds.exe"),
];

/// krew-index's conventions, which krew itself does not enforce: shortDescription of at most
/// 50 characters, a description, a homepage; and the 80-column lines the older
/// validate-krew-manifest warned about (`validateLineLength`, one-word lines exempt).
fn validate_index_conventions(p: &Plugin) -> Result<(), String> {
    let short = p.spec.short_description.chars().count();
    if short > 50 {
        return Err(format!("shortDescription has {short} characters, krew-index allows 50"));
    }
    if p.spec.description.trim().is_empty() {
        return Err("description is empty".into());
    }
    if !p.spec.homepage.starts_with("https://") {
        return Err(format!("homepage {:?} is not an https URL", p.spec.homepage));
    }
    for (field, text) in [("description", &p.spec.description), ("caveats", &p.spec.caveats)] {
        if let Some(line) = text.lines().find(|l| l.chars().count() > 80 && l.trim().contains(' ')) {
            return Err(format!("{field} has a line over 80 characters: {line:?}"));
        }
    }
    Ok(())
}

/// The manifest describes the crate being released: `v` + Cargo.toml's version.
fn validate_version_matches(p: &Plugin, cargo_version: &str) -> Result<(), String> {
    let expected = format!("v{cargo_version}");
    if p.spec.version == expected {
        Ok(())
    } else {
        Err(format!("spec.version {:?} does not match Cargo.toml's {expected:?}", p.spec.version))
    }
}

/// What users must read after installing (caveats are shown once, after the first install).
fn validate_caveats(p: &Plugin) -> Result<(), String> {
    for needle in ["kubectl ds completion install", "deploy/rbac.yaml", "kubectl ds -n", "kubectl -n"] {
        if !p.spec.caveats.contains(needle) {
            return Err(format!("caveats do not mention {needle:?}"));
        }
    }
    Ok(())
}

/// The archive file name the release workflow produces for a target.
fn archive_name(version: &str, target: &str, ext: &str) -> String {
    format!("kubectl-ds_{version}_{target}.{ext}")
}

/// Each release platform has exactly one entry, selected by plain `{os, arch}` labels, whose
/// uri is the release asset the workflow uploads, whose `bin` is the platform's executable.
fn validate_release_platforms(p: &Plugin) -> Result<(), String> {
    if p.spec.platforms.len() != RELEASE_PLATFORMS.len() {
        return Err(format!("{} platforms, expected {}", p.spec.platforms.len(), RELEASE_PLATFORMS.len()));
    }
    for (os, arch, target, ext, exe) in RELEASE_PLATFORMS {
        let selected: Vec<&Platform> = p
            .spec
            .platforms
            .iter()
            .filter(|pl| selector_matches(pl.selector.as_ref(), os, arch).unwrap_or(false))
            .collect();
        let [pl] = selected.as_slice() else {
            return Err(format!("{os}/{arch}: {} platform entries select it, expected 1", selected.len()));
        };
        let version = &p.spec.version;
        let uri = format!("{RELEASES}/{version}/{}", archive_name(version, target, ext));
        if pl.uri != uri {
            return Err(format!("{os}/{arch}: uri {:?}, expected {uri:?}", pl.uri));
        }
        if pl.bin != exe {
            return Err(format!("{os}/{arch}: bin {:?}, expected {exe:?}", pl.bin));
        }
        if pl.files.is_none() {
            return Err(format!("{os}/{arch}: no `files`, so README.md would be installed too"));
        }
        validate_install_layout(pl).map_err(|e| format!("{os}/{arch}: {e}"))?;
    }
    Ok(())
}

/// Everything, in the order validate-krew-manifest runs it, then this project's rules.
fn validate_manifest(p: &Plugin, cargo_version: &str) -> Result<(), String> {
    validate_plugin(PLUGIN_NAME, p)?;
    validate_platforms_used(&p.spec.platforms)?;
    validate_selectors_dont_overlap(&p.spec.platforms)?;
    for (i, pl) in p.spec.platforms.iter().enumerate() {
        validate_install_layout(pl).map_err(|e| format!("spec.platform[{i}]: {e}"))?;
    }
    validate_index_conventions(p)?;
    validate_version_matches(p, cargo_version)?;
    validate_caveats(p)?;
    validate_release_platforms(p)
}

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn manifest() -> Plugin {
    serde_saphyr::from_str(&repo_file("krew-manifest.yaml")).expect("krew-manifest.yaml parses")
}

const CARGO_VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn committed_manifest_passes_krew_and_project_rules() {
    validate_manifest(&manifest(), CARGO_VERSION).unwrap();
}

#[test]
fn placeholder_digests_are_announced_as_replaced_by_the_release() {
    // The committed digests are placeholders; the file must say the release replaces them.
    let text = repo_file("krew-manifest.yaml");
    let zeros = "0".repeat(64);
    if manifest().spec.platforms.iter().any(|p| p.sha256 == zeros) {
        assert!(text.contains("PLACEHOLDER DIGESTS"), "placeholder sha256 values without the comment saying so");
        assert!(text.contains("render-krew-manifest.py"), "the comment must name the script that replaces them");
    }
}

/// Applies `mutate` to a copy of the committed manifest and expects `check` to fail with an
/// error containing `expected`.
fn assert_fails(
    what: &str,
    mutate: impl FnOnce(&mut Plugin),
    check: impl Fn(&Plugin) -> Result<(), String>,
    expected: &str,
) {
    let mut p = manifest();
    check(&p).unwrap_or_else(|e| panic!("{what}: the unmutated manifest already fails: {e}"));
    mutate(&mut p);
    match check(&p) {
        Ok(()) => panic!("{what}: the mutated manifest passed"),
        Err(e) => assert!(e.contains(expected), "{what}: error {e:?} does not contain {expected:?}"),
    }
    // The whole validator must refuse it as well.
    assert!(validate_manifest(&p, CARGO_VERSION).is_err(), "{what}: validate_manifest passed");
}

fn krew(p: &Plugin) -> Result<(), String> {
    validate_plugin(PLUGIN_NAME, p)
}

fn overlap(p: &Plugin) -> Result<(), String> {
    validate_selectors_dont_overlap(&p.spec.platforms)
}

fn version(p: &Plugin) -> Result<(), String> {
    validate_version_matches(p, CARGO_VERSION)
}

fn labels(os: &str, arch: &str) -> Option<LabelSelector> {
    let labels = BTreeMap::from([("os".to_string(), os.to_string()), ("arch".to_string(), arch.to_string())]);
    Some(LabelSelector { match_labels: Some(labels), match_expressions: None })
}

fn expression(key: &str, operator: &str, values: &[&str]) -> Option<LabelSelector> {
    let req = Requirement {
        key: key.into(),
        operator: operator.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    Some(LabelSelector { match_labels: None, match_expressions: Some(vec![req]) })
}

#[test]
fn mutated_manifests_fail_krews_structural_checks() {
    assert_fails(
        "apiVersion",
        |p| p.api_version = "krew.googlecontainertools.github.com/v1alpha1".into(),
        krew,
        "apiVersion",
    );
    assert_fails("kind", |p| p.kind = "plugin".into(), krew, "kind");
    assert_fails("name mismatch", |p| p.metadata.name = "daemonset-doctor".into(), krew, "should be named");
    assert_fails("no shortDescription", |p| p.spec.short_description.clear(), krew, "short description");
    assert_fails("line break", |p| p.spec.short_description.push_str("\nmore"), krew, "line breaks");
    assert_fails("no platforms", |p| p.spec.platforms.clear(), krew, "platform specified");
    assert_fails("no version", |p| p.spec.version.clear(), krew, "version specified");
    assert_fails("version without v", |p| p.spec.version = CARGO_VERSION.into(), krew, "not starting with 'v'");
    assert_fails("two components", |p| p.spec.version = "v0.1".into(), krew, "illegal version string");
    assert_fails("zero prefix", |p| p.spec.version = "v0.01.0".into(), krew, "zero-prefixed");
    assert_fails("bad pre-release", |p| p.spec.version = "v0.1.0-".into(), krew, "pre-release");
    assert_fails("no uri", |p| p.spec.platforms[0].uri.clear(), krew, "`uri` has to be set");
    assert_fails("no sha256", |p| p.spec.platforms[1].sha256.clear(), krew, "`sha256` sum has to be set");
    assert_fails("upper-case sha256", |p| p.spec.platforms[2].sha256 = "A".repeat(64), krew, "not valid");
    assert_fails("short sha256", |p| p.spec.platforms[2].sha256 = "a".repeat(63), krew, "not valid");
    assert_fails("non-hex sha256", |p| p.spec.platforms[2].sha256 = "g".repeat(64), krew, "not valid");
    assert_fails("no bin", |p| p.spec.platforms[3].bin.clear(), krew, "`bin` has to be set");
    assert_fails("empty files", |p| p.spec.platforms[4].files = Some(vec![]), krew, "unspecified or non-empty");
    assert_fails("no from", |p| p.spec.platforms[0].files.as_mut().unwrap()[0].from.clear(), krew, "`from`");
    assert_fails("no to", |p| p.spec.platforms[0].files.as_mut().unwrap()[1].to.clear(), krew, "`to`");
    assert_fails("nil selector", |p| p.spec.platforms[0].selector = None, krew, "nil selector");
    assert_fails(
        "empty selector",
        |p| p.spec.platforms[0].selector = Some(LabelSelector { match_labels: None, match_expressions: Some(vec![]) }),
        krew,
        "empty selector",
    );
    assert_fails(
        "empty matchLabels",
        |p| {
            p.spec.platforms[0].selector = Some(LabelSelector {
                match_labels: Some(BTreeMap::new()),
                ..expression("os", "In", &["linux"]).unwrap()
            })
        },
        krew,
        "`matchLabels` specified but empty",
    );
    assert_fails(
        "unsupported key",
        |p| p.spec.platforms[0].selector = expression("distro", "In", &["debian"]),
        krew,
        "not supported",
    );
}

#[test]
fn plugin_names_follow_is_safe_plugin_name() {
    for ok in ["ds", "daemonset-doctor", "why_daemonset", "DS2"] {
        assert!(is_safe_plugin_name(ok), "{ok}");
    }
    for bad in ["", "ds.exe", "../ds", "d s", "nul", "Com1", "LPT9", "dš"] {
        assert!(!is_safe_plugin_name(bad), "{bad}");
    }
    let mut p = manifest();
    p.metadata.name = "con".into();
    assert!(validate_plugin("con", &p).unwrap_err().contains("not allowed"));
}

#[test]
fn krew_semver_accepts_what_apimachinery_accepts() {
    for ok in ["v0.1.0", "v1.2.3-rc.1", "v1.2.3+build.7", "v1.2.3-alpha.0+sha.5114f85", "v10.20.30 "] {
        parse_krew_semver(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for bad in
        ["0.1.0", "v1", "v1.2", "v1.2.3.4", "v01.2.3", "v1.2.3-01", "v1.2.3-", "v1.2.3+", "v1.2.3_x", "vx.y.z", "v"]
    {
        assert!(parse_krew_semver(bad).is_err(), "{bad}");
    }
}

#[test]
fn mutated_manifests_fail_the_selector_checks() {
    assert_fails(
        "duplicate platform",
        |p| {
            let dup = p.spec.platforms[0].clone();
            p.spec.platforms.push(dup);
        },
        overlap,
        "overlapping selectors that select linux/amd64",
    );
    assert_fails(
        "os-only selector overlaps linux/amd64 and linux/arm64",
        |p| p.spec.platforms[0].selector = expression("os", "In", &["linux"]),
        overlap,
        "overlapping",
    );
    assert_fails(
        "NotIn overlaps the others",
        |p| p.spec.platforms[4].selector = expression("os", "NotIn", &["plan9"]),
        overlap,
        "overlapping",
    );
    // krew's allPlatforms() lacks linux/riscv64; the mentioned labels catch this overlap anyway.
    assert_fails(
        "overlap outside krew's list",
        |p| {
            let mut a = p.spec.platforms[0].clone();
            a.selector = labels("linux", "riscv64");
            let mut b = a.clone();
            b.selector = expression("arch", "In", &["riscv64"]);
            b.selector.as_mut().unwrap().match_labels = Some(BTreeMap::from([("os".into(), "linux".into())]));
            p.spec.platforms.extend([a, b]);
        },
        overlap,
        "linux/riscv64",
    );
    let used = |p: &Plugin| validate_platforms_used(&p.spec.platforms);
    assert_fails("unused platform", |p| p.spec.platforms[0].selector = labels("linux", "s390x"), used, "doesn't match");
    assert_fails(
        "bad operator",
        |p| p.spec.platforms[0].selector = expression("os", "Equals", &["linux"]),
        used,
        "not a valid label selector operator",
    );
    assert_fails(
        "In without values",
        |p| p.spec.platforms[0].selector = expression("os", "In", &[]),
        used,
        "non-empty",
    );
}

#[test]
fn selectors_match_like_apimachinery() {
    let m = |sel: Option<LabelSelector>, os, arch| selector_matches(sel.as_ref(), os, arch).unwrap();
    assert!(m(labels("linux", "amd64"), "linux", "amd64"));
    assert!(!m(labels("linux", "amd64"), "linux", "arm64"));
    assert!(m(expression("os", "In", &["linux", "darwin"]), "darwin", "arm64"));
    assert!(!m(expression("os", "NotIn", &["windows"]), "windows", "amd64"));
    assert!(m(expression("arch", "Exists", &[]), "linux", "arm"));
    assert!(!m(expression("arch", "DoesNotExist", &[]), "linux", "arm"));
    // metav1: nil matches nothing, empty matches everything.
    assert!(!m(None, "linux", "amd64"));
    assert!(m(Some(LabelSelector { match_labels: None, match_expressions: None }), "linux", "amd64"));
    assert!(selector_matches(expression("os", "Exists", &["linux"]).as_ref(), "linux", "amd64").is_err());
    assert!(selector_matches(labels("linux", "-amd64").as_ref(), "linux", "amd64").is_err());
}

#[test]
fn mutated_manifests_fail_the_project_rules() {
    let conventions = validate_index_conventions;
    assert_fails("51-char shortDescription", |p| p.spec.short_description = "x".repeat(51), conventions, "50");
    assert_fails("no description", |p| p.spec.description = "  \n".into(), conventions, "description");
    assert_fails("no homepage", |p| p.spec.homepage.clear(), conventions, "homepage");
    assert_fails("long caveat line", |p| p.spec.caveats.push_str(&"word ".repeat(20)), conventions, "80");
    assert_fails("version mismatch", |p| p.spec.version = "v0.0.9".into(), version, "Cargo.toml");
    assert_fails("version with build", |p| p.spec.version.push_str("+1"), version, "Cargo.toml");
    assert_fails(
        "no completion caveat",
        |p| p.spec.caveats = p.spec.caveats.replace("completion", "c"),
        validate_caveats,
        "completion",
    );
    assert_fails("no RBAC caveat", |p| p.spec.caveats = p.spec.caveats.replace("rbac", "r"), validate_caveats, "rbac");

    let release = validate_release_platforms;
    assert_fails("missing windows", |p| p.spec.platforms.truncate(4), release, "platforms");
    assert_fails(
        "darwin/arm64 replaced by linux/386",
        |p| p.spec.platforms[3].selector = labels("linux", "386"),
        release,
        "darwin/arm64",
    );
    assert_fails(
        "uri of another version",
        |p| p.spec.platforms[0].uri = p.spec.platforms[0].uri.replacen("v0.", "v9.", 1),
        release,
        "uri",
    );
    assert_fails(
        "uri of another target",
        |p| {
            p.spec.platforms[1].uri =
                p.spec.platforms[1].uri.replace("aarch64-unknown-linux-musl", "aarch64-unknown-linux-gnu")
        },
        release,
        "uri",
    );
    assert_fails("windows bin without .exe", |p| p.spec.platforms[4].bin = "kubectl-ds".into(), release, "bin");
    assert_fails(
        "LICENSE left out",
        |p| p.spec.platforms[2].files.as_mut().unwrap().retain(|f| f.from != "LICENSE"),
        release,
        "LICENSE",
    );
    assert_fails(
        "bin not installed",
        |p| p.spec.platforms[0].files.as_mut().unwrap()[0].to = "bin".into(),
        release,
        "not among the files installed",
    );
    for bad in ["../kubectl-ds", "/usr/bin/kubectl-ds", "bin\\kubectl-ds.exe", "./kubectl-ds", "C:kubectl-ds.exe"] {
        assert_fails(
            bad,
            |p| p.spec.platforms[4].bin = bad.into(),
            |p| validate_install_layout(&p.spec.platforms[4]),
            "clean",
        );
    }
    assert_fails(
        "unclean to",
        |p| p.spec.platforms[0].files.as_mut().unwrap()[1].to = "./".into(),
        |p| validate_install_layout(&p.spec.platforms[0]),
        "clean",
    );
}

#[test]
fn unknown_keys_are_refused() {
    // krew would ignore the misspelt key and install without caveats; we refuse it.
    let text = repo_file("krew-manifest.yaml").replace("  caveats: |", "  caveat: |");
    let err = serde_saphyr::from_str::<Plugin>(&text).unwrap_err().to_string();
    assert!(err.contains("caveat"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The release workflow and the render script agree with the manifest.
// ---------------------------------------------------------------------------------------------

/// The archive name template of .github/workflows/release.yml's build job.
const ARCHIVE_TEMPLATE: &str = "kubectl-ds_${{ github.ref_name }}_${{ matrix.target }}.${{ matrix.archive }}";

fn workflow() -> serde_json::Value {
    serde_saphyr::from_str(&repo_file(".github/workflows/release.yml")).expect("release.yml parses")
}

/// Every manifest uri is an archive the build matrix produces (with the tag equal to
/// spec.version, which the workflow enforces), with the same executable, and every archive the
/// matrix produces is in the manifest: otherwise krew would download a 404, or the render script
/// would refuse an archive without an entry.
fn validate_workflow_builds_manifest_archives(p: &Plugin, workflow: &serde_json::Value) -> Result<(), String> {
    let build = &workflow["jobs"]["build"];
    let template = build["env"]["ARCHIVE"].as_str().ok_or("jobs.build.env.ARCHIVE is missing")?;
    if template != ARCHIVE_TEMPLATE {
        return Err(format!("jobs.build.env.ARCHIVE is {template:?}, expected {ARCHIVE_TEMPLATE:?}"));
    }
    let include = build["strategy"]["matrix"]["include"].as_array().ok_or("jobs.build matrix has no include list")?;
    let mut produced = BTreeMap::new();
    for entry in include {
        let field = |k: &str| entry[k].as_str().ok_or(format!("matrix entry {entry} lacks {k}"));
        let name = template
            .replace("${{ github.ref_name }}", &p.spec.version)
            .replace("${{ matrix.target }}", field("target")?)
            .replace("${{ matrix.archive }}", field("archive")?);
        produced.insert(name, field("exe")?.to_string());
    }
    let mut named = BTreeSet::new();
    for pl in &p.spec.platforms {
        let name = pl.uri.rsplit('/').next().unwrap_or_default().to_string();
        match produced.get(&name) {
            None => return Err(format!("the workflow does not build {name} (uri {})", pl.uri)),
            Some(exe) if *exe != pl.bin => return Err(format!("{name}: the workflow packs {exe}, bin is {}", pl.bin)),
            Some(_) => named.insert(name),
        };
    }
    if let Some(extra) = produced.keys().find(|k| !named.contains(*k)) {
        return Err(format!("the workflow builds {extra}, which the manifest does not name"));
    }
    Ok(())
}

#[test]
fn workflow_builds_exactly_the_manifest_archives() {
    let (p, wf) = (manifest(), workflow());
    validate_workflow_builds_manifest_archives(&p, &wf).unwrap();

    let check = |p: &Plugin, wf: &serde_json::Value, expected: &str| {
        let err = validate_workflow_builds_manifest_archives(p, wf).expect_err(expected);
        assert!(err.contains(expected), "{err:?} does not contain {expected:?}");
    };
    let mut renamed = p.clone();
    renamed.spec.platforms[2].uri = renamed.spec.platforms[2].uri.replace(".tar.gz", ".tgz");
    check(&renamed, &wf, "does not build");
    let mut fewer = p.clone();
    fewer.spec.platforms.pop();
    check(&fewer, &wf, "which the manifest does not name");
    let mut wrong_exe = wf.clone();
    wrong_exe["jobs"]["build"]["strategy"]["matrix"]["include"][4]["exe"] = "kubectl-ds".into();
    check(&p, &wrong_exe, "packs");
    let mut template = wf.clone();
    template["jobs"]["build"]["env"]["ARCHIVE"] = "kubectl-ds-${{ matrix.target }}.${{ matrix.archive }}".into();
    check(&p, &template, "ARCHIVE");
}

#[test]
fn workflow_packs_license_renders_the_manifest_and_audits() {
    let text = repo_file(".github/workflows/release.yml");
    let wf = workflow();
    assert!(wf["on"]["push"]["tags"][0] == "v*", "the release runs on v* tags");
    for needle in [
        "LICENSE README.md",
        "scripts/render-krew-manifest.py --tag \"$GITHUB_REF_NAME\"",
        &format!("dist/{PLUGIN_NAME}.yaml"),
        "command: check advisories",
        "gh release create",
    ] {
        assert!(text.contains(needle), "release.yml does not contain {needle:?}");
    }
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/render-krew-manifest.py").is_file());
}

/// Runs scripts/render-krew-manifest.py on stand-in archives and validates its output with the
/// same rules as the committed manifest, now with real digests. Needs python3 (present on the
/// release runner); without it the test says so and checks nothing.
#[test]
fn render_script_fills_in_digests_that_krew_accepts() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not found: render-krew-manifest.py not exercised");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let p = manifest();
    // Empty archives: their sha256 is the well-known digest of no bytes.
    let empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for pl in &p.spec.platforms {
        std::fs::write(dist.join(pl.uri.rsplit('/').next().unwrap()), b"").unwrap();
    }
    let render = |tag: &str| {
        std::process::Command::new("python3")
            .arg(root.join("scripts/render-krew-manifest.py"))
            .args(["--tag", tag, "--manifest"])
            .arg(root.join("krew-manifest.yaml"))
            .arg("--archives")
            .arg(&dist)
            .arg("--out")
            .arg(dir.path().join("ds.yaml"))
            .output()
            .unwrap()
    };
    let out = render(&p.spec.version);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rendered: Plugin =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.path().join("ds.yaml")).unwrap()).unwrap();
    validate_manifest(&rendered, CARGO_VERSION).unwrap();
    assert!(rendered.spec.platforms.iter().all(|pl| pl.sha256 == empty_sha256));

    // A tag other than spec.version, or an archive the manifest does not name, is refused.
    assert!(!render("v999.0.0").status.success());
    std::fs::write(dist.join("kubectl-ds_extra.zip"), b"").unwrap();
    assert!(!render(&p.spec.version).status.success());
}
