//! Numbers as people read them — on nodes, in tables, in sweep labels, in messages. The one
//! place that decides how many digits a number shows.

/// `number` to four significant digits: whole numbers as they are (`200`), plain notation from
/// 0.001 to 100 000 (`0.3333`, `0.03`), scientific outside it (`1e-8`, `2.5e12`), trailing zeros
/// dropped.
pub fn short(number: f64) -> String {
    if number == 0.0 || !number.is_finite() || number.fract() == 0.0 && number.abs() < 1e9 {
        return number.to_string();
    }
    let magnitude = number.abs();
    if (1e-3..1e5).contains(&magnitude) {
        let decimals = (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize;
        trim_zeros(&format!("{number:.decimals$}")).to_owned()
    } else {
        let text = format!("{number:.3e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        format!("{}e{exponent}", trim_zeros(mantissa))
    }
}

/// `number` with every digit it has, in scientific notation where plain would be long
/// (`1e300`, `1e-7`): a value quoted back to the user who wrote it.
pub fn exact(number: f64) -> String {
    if number != 0.0 && !(1e-6..1e9).contains(&number.abs()) {
        format!("{number:e}")
    } else {
        number.to_string()
    }
}

/// A whole number with its thousands separated: `17,184,063,490`.
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// `text` without the zeros after its decimal point, nor the point if nothing follows it.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { text }
}

/// `number` rounded to two significant digits, as a person writes a setting (0.084, not
/// 0.08410310505352671): what a suggestion writes into a node.
pub fn rounded(number: f64) -> f64 {
    if number == 0.0 || !number.is_finite() {
        return number;
    }
    let digits = 1 - number.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    let rounded = (number * scale).round() / scale;
    // Through text, so that 0.30000000000000004 is written 0.3.
    format!("{rounded:.*}", digits.max(0) as usize).parse().unwrap_or(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keeps_four_significant_digits() {
        assert_eq!(short(1.0 / 3.0), "0.3333");
        assert_eq!(short(0.0031622776601683794), "0.003162");
        assert_eq!(short(0.03), "0.03");
        assert_eq!(short(0.9), "0.9");
        assert_eq!(short(200.0), "200");
        assert_eq!(short(250.5), "250.5");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1e-4), "1e-4");
        assert_eq!(short(1e-8), "1e-8");
        assert_eq!(short(-2.5e-7), "-2.5e-7");
        assert_eq!(short(123456.7), "1.235e5");
        assert_eq!(short(f64::NAN), "NaN");
    }

    #[test]
    fn exact_keeps_every_digit() {
        assert_eq!(exact(0.125), "0.125");
        assert_eq!(exact(1e300), "1e300");
        assert_eq!(exact(1.5e-7), "1.5e-7");
        assert_eq!(exact(0.0), "0");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(17_184_063_490), "17,184,063,490");
    }
}
