//! Filling a program's template: each `{{NAME}}` replaced by its text in one pass, so text
//! that itself holds `{{…}}` (a graph's name) is never read as a placeholder; and a graph's
//! name made safe for where each program puts it.

/// `template` with every `{{NAME}}` of `values` replaced by its text, in one pass. Other
/// `{{…}}` (a Rust format string's braces) stay as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        filled.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let placeholder = after
            .find("}}")
            .map(|end| &after[..end])
            .and_then(|name| values.iter().find(|(wanted, _)| *wanted == name));
        match placeholder {
            Some((name, value)) => {
                filled.push_str(value);
                rest = &after[name.len() + 2..];
            }
            None => {
                filled.push_str("{{");
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

/// A graph's name as a one-line title: its lines joined, trimmed; a default when empty.
pub fn title(name: &str) -> String {
    let line = name.split(['\n', '\r']).map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>();
    if line.is_empty() { "A Kindling graph".to_owned() } else { line.join(" ") }
}

/// A title safe in a Python docstring that is also argparse's description: no backslash
/// (an escape), no `"""` (the docstring's end), no `%` (argparse formats the description).
pub fn python_title(name: &str) -> String {
    title(name).replace('\\', "/").replace("\"\"\"", "'''").replace('%', "％")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_others_kept() {
        let template = "\"\"\"{{TITLE}}\"\"\"\n{{MODEL}}\nprint(f\"{{{{x}}}}\") {{UNKNOWN}}";
        let filled = fill(template, &[("TITLE", "{{MODEL}} 50%d"), ("MODEL", "net = Net()")]);
        assert_eq!(filled, "\"\"\"{{MODEL}} 50%d\"\"\"\nnet = Net()\nprint(f\"{{{{x}}}}\") {{UNKNOWN}}");
        assert_eq!(fill("{{A}}{{A}}}}", &[("A", "a")]), "aa}}");
        assert_eq!(fill("{{", &[("A", "a")]), "{{");
    }

    #[test]
    fn titles_are_one_line_and_safe_for_python() {
        assert_eq!(title("  \n "), "A Kindling graph");
        assert_eq!(title("two\nlines "), "two lines");
        assert_eq!(python_title("a \"\"\" b \\ 50%d"), "a ''' b / 50％d");
    }
}
