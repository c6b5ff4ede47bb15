import Foundation

// Number formatting for tables, progress lines and named outputs. A chapter quotes these strings,
// so they are plain and stable: `0.523`, `40,000`, `87.3%`, `3.00e-04`, `1.5 MiB`, `2.1s`.

/// A fixed number of decimals, with thousands separators: `fmt(0.12345, digits: 3)` is `0.123`,
/// `fmt(40000.0, digits: 1)` is `40,000.0`. NaN and infinity read `nan`, `inf` and `-inf`.
public func fmt(_ value: Double, digits: Int = 3) -> String {
    if let special = nonFinite(value) { return special }
    var text = String(format: "%.\(max(0, digits))f", value)
    if text.hasPrefix("-"), text.allSatisfy({ "-0.".contains($0) }) {
        text.removeFirst()   // -0.000 is just 0.000
    }
    let negative = text.hasPrefix("-")
    if negative { text.removeFirst() }
    let parts = text.split(separator: ".", maxSplits: 1)
    var result = grouped(String(parts[0]))
    if parts.count == 2 { result += "." + parts[1] }
    return negative ? "-" + result : result
}

/// A whole number with thousands separators: `fmt(40000)` is `40,000`.
public func fmt(_ value: Int) -> String {
    let digits = grouped(String(value.magnitude))
    return value < 0 ? "-" + digits : digits
}

/// A fraction as a percentage: `fmtPercent(0.873)` is `87.3%`.
public func fmtPercent(_ fraction: Double, digits: Int = 1) -> String {
    if let special = nonFinite(fraction) { return special }
    return fmt(fraction * 100, digits: digits) + "%"
}

/// Scientific notation, the way learning rates are written: `fmtScientific(3e-4)` is `3.00e-04`.
public func fmtScientific(_ value: Double, digits: Int = 2) -> String {
    if let special = nonFinite(value) { return special }
    return String(format: "%.\(max(0, digits))e", value)
}

/// A compact form for numbers of any size, as the progress bar shows metrics: three decimals for
/// everyday values (`0.523`, `12.400`), scientific for tiny or huge ones (`3.00e-04`, `1.20e+06`).
public func fmtMetric(_ value: Double) -> String {
    if let special = nonFinite(value) { return special }
    let size = abs(value)
    if value == 0 || (size >= 1e-3 && size < 1e5) { return fmt(value, digits: 3) }
    return fmtScientific(value)
}

/// Bytes in binary units, as memory is usually reported: `fmtBytes(1_572_864)` is `1.5 MiB`.
public func fmtBytes(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var size = Double(bytes)
    var unit = 0
    while abs(size) >= 1024 && unit < units.count - 1 {
        size /= 1024
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : "\(fmt(size, digits: 1)) \(units[unit])"
}

/// A duration: `fmtSeconds(2.14)` is `2.1s`, `fmtSeconds(65)` is `1m 05s`.
public func fmtSeconds(_ seconds: Double) -> String {
    if let special = nonFinite(seconds) { return special }
    if seconds < 60 { return fmt(seconds, digits: 1) + "s" }
    let whole = Int(seconds.rounded())
    return "\(whole / 60)m " + String(format: "%02ds", whole % 60)
}

private func nonFinite(_ value: Double) -> String? {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return nil
}

/// "40000" -> "40,000": a comma between every group of three digits, from the right.
private func grouped(_ digits: String) -> String {
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return result
}
