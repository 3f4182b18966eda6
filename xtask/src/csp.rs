//! The release build's Content-Security-Policy.
//!
//! trunk writes one inline module script into `dist/index.html` (the loader that starts the
//! WebAssembly). The policy allows it by its SHA-256 hash and nothing else inline: no inline
//! style either (the page styles through the CSSOM, and the charts measure their text without
//! the page: `src/ui/chart_backend.rs`), and the end-to-end tests fail on any violation. The
//! engine's worker and the page's scripts load from the page's own origin. The policy goes
//! into the page itself as a `<meta http-equiv>` so that any static host serves it; hosts
//! that set headers can send the same policy (docs/hosting.md). The end-to-end server sends
//! it as a header, read back from the page.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// Marks the policy's `<meta>` element, so that a second run replaces it.
const MARK: &str = "<meta http-equiv=\"Content-Security-Policy\"";

/// `'sha256-…'` of `text`.
fn hash(text: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// The policy for a page whose inline scripts are `scripts`.
pub fn policy(scripts: &[&str]) -> String {
    let scripts: String = scripts.iter().map(|script| format!(" {}", hash(script))).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'"
    )
}

/// The text of every inline `<script>` (one without `src`) in `html`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|end| start + end + 1) else { break };
        let Some(close) = rest[open_end..].find("</script>").map(|end| open_end + end) else { break };
        if !rest[start..open_end].contains(" src=") {
            scripts.push(&rest[open_end..close]);
        }
        rest = &rest[close + "</script>".len()..];
    }
    scripts
}

/// Writes the policy into `dist/index.html` (replacing an earlier one); returns it.
pub fn apply(dist: &Path) -> Result<String, String> {
    let path = dist.join("index.html");
    let html = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let html = match html.find(MARK) {
        Some(start) => {
            let end = html[start..].find('>').map(|end| start + end + 1).ok_or("an unclosed CSP meta")?;
            format!("{}{}", &html[..start], html[end..].trim_start_matches('\n'))
        }
        None => html,
    };
    let policy = policy(&inline_scripts(&html));
    let head = html.find("<head>").ok_or("dist/index.html has no <head>")? + "<head>".len();
    let meta = format!("\n    {MARK} content=\"{policy}\" />");
    let html = format!("{}{meta}{}", &html[..head], &html[head..]);
    std::fs::write(&path, html).map_err(|error| format!("{}: {error}", path.display()))?;
    let headers = dist.join("_headers");
    std::fs::write(&headers, headers_file(&policy))
        .map_err(|error| format!("{}: {error}", headers.display()))?;
    Ok(policy)
}

/// The policy as headers, in the `_headers` format Netlify and Cloudflare Pages read, with
/// what only a header can say: `frame-ancestors 'none'` (no other site frames the page).
fn headers_file(policy: &str) -> String {
    format!(
        "# Written by `cargo xtask build` (docs/hosting.md): the page's policy as headers.\n\
         /*\n  Content-Security-Policy: {policy}; frame-ancestors 'none'\n  \
         X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_hashed_and_external_ones_are_not() {
        let html =
            "<head><script src=\"a.js\"></script><script type=\"module\">\nlet x = 1;\n</script></head>";
        assert_eq!(inline_scripts(html), vec!["\nlet x = 1;\n"]);
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert!(policy(&["alert(1)"]).contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"));
    }

    #[test]
    fn applying_twice_keeps_one_policy() {
        let dir = std::env::temp_dir().join(format!("kindling-csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html><head><script>go()</script></head></html>").unwrap();
        let first = apply(&dir).unwrap();
        let second = apply(&dir).unwrap();
        assert_eq!(first, second);
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert_eq!(html.matches(MARK).count(), 1, "{html}");
        let headers = std::fs::read_to_string(dir.join("_headers")).unwrap();
        assert!(
            headers.contains(&format!("  Content-Security-Policy: {first}; frame-ancestors 'none'\n")),
            "{headers}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
