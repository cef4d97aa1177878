import Foundation
import Testing

@testable import PersonaKit

/// The toml-test suite (github.com/toml-lang/toml-test, MIT licence, in `toml-test/` beside this
/// file with its LICENSE): every case its file lists name for TOML 1.0.0 and 1.1.0. An invalid
/// case must be refused with a place; a valid one must parse to the values its JSON gives (the
/// suite's tagged form: `{"type": "integer", "value": "42"}`).
@Suite struct TOMLTestSuiteTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "toml-test/tests")

  static func cases(_ version: String) -> [String] {
    let list = (try? String(contentsOf: root.appendingPathComponent("files-toml-\(version)"), encoding: .utf8)) ?? ""
    return list.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".toml") }
  }

  @Test(arguments: [("1.0.0", TOMLVersion.v1_0), ("1.1.0", TOMLVersion.v1_1)])
  func everyCaseOfTheSuite(version: String, mode: TOMLVersion) throws {
    let cases = Self.cases(version)
    #expect(cases.count > 700)
    var failures: [String] = []
    for path in cases {
      let data = try Data(contentsOf: Self.root.appendingPathComponent(path))
      if path.hasPrefix("invalid/") {
        do {
          _ = try TOMLParser.parse(data, version: mode)
          failures.append("\(path): parsed, but the suite says it is invalid")
        } catch {
          if error.line < 1 || error.column < 1 { failures.append("\(path): refused without a place") }
        }
        continue
      }
      let parsed: ParsedTOML
      do {
        parsed = try TOMLParser.parse(data, version: mode)
      } catch {
        failures.append("\(path): refused (\(error.line):\(error.column) \(error.message)) but valid")
        continue
      }
      let jsonURL = Self.root.appendingPathComponent(String(path.dropLast(5)) + ".json")
      let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL), options: [.fragmentsAllowed])
      if let why = Self.compare(.table(parsed.root), expected, at: "") { failures.append("\(path): \(why)") }
    }
    #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases fail:\n\(failures.joined(separator: "\n"))")
  }

  /// Nil when `node` is the value the suite's tagged JSON gives, else where and how it differs.
  static func compare(_ node: TOMLNode, _ json: Any, at place: String) -> String? {
    switch node {
    case .table(let t):
      guard let obj = json as? [String: Any], obj["type"] == nil || obj.count != 2 || obj["value"] == nil else {
        return "\(place): a table where the suite has \(json)"
      }
      if obj.count != t.count { return "\(place): keys \(t.keys.sorted()) where the suite has \(obj.keys.sorted())" }
      for (k, v) in t.entries {
        guard let e = obj[k] else { return "\(place).\(k): not in the suite's JSON" }
        if let why = compare(v, e, at: "\(place).\(k)") { return why }
      }
      return nil
    case .array(let a):
      guard let arr = json as? [Any], arr.count == a.count else {
        return "\(place): an array of \(a.count) where the suite has \(json)"
      }
      for (i, (x, y)) in zip(a, arr).enumerated() {
        if let why = compare(x, y, at: "\(place)[\(i)]") { return why }
      }
      return nil
    default:
      guard let obj = json as? [String: Any], let type = obj["type"] as? String, let value = obj["value"] as? String
      else { return "\(place): \(node) where the suite has \(json)" }
      let ok: Bool
      switch (node, type) {
      case (.string(let s), "string"): ok = s == value
      case (.integer(let i), "integer"): ok = Int(value) == i
      case (.bool(let b), "bool"): ok = String(b) == value
      case (.float(let d), "float"):
        let want: Double? =
          switch value {
          case "inf", "+inf": .infinity
          case "-inf": -.infinity
          case "nan", "+nan", "-nan": .nan
          default: Double(value)
          }
        ok = want.map { $0.isNaN ? d.isNaN : $0 == d } ?? false
      case (.datetime(let s), _):
        ok = kind(of: s) == type && normalized(s) == normalized(value)
      default: ok = false
      }
      return ok ? nil : "\(place): \(node) where the suite has \(type) \(value)"
    }
  }

  /// The suite's name for the kind of a date-time as written.
  static func kind(of s: String) -> String {
    if s.count >= 3 && Array(s)[2] == ":" { return "time-local" }
    if s.count == 10 { return "date-local" }
    let last = s.last!
    if last == "Z" || last == "z" { return "datetime" }
    let tail = s.dropFirst(10)
    return tail.contains("+") || tail.contains("-") ? "datetime" : "datetime-local"
  }

  /// A date-time as the suite compares it: `T` and `Z` upper case, seconds written out, the
  /// fraction without trailing zeros.
  static func normalized(_ s: String) -> String {
    var t = s.uppercased()
    if t.count > 10, Array(t)[10] == " " { t = String(t.prefix(10)) + "T" + t.dropFirst(11) }
    // HH:MM with no seconds (TOML 1.1): add them.
    let timeStart = t.count >= 3 && Array(t)[2] == ":" ? 0 : (t.count > 11 ? 11 : -1)
    if timeStart >= 0 {
      let chars = Array(t)
      let afterMinutes = timeStart + 5
      if afterMinutes >= chars.count || chars[afterMinutes] != ":" {
        t = String(chars[..<afterMinutes]) + ":00" + String(chars[afterMinutes...])
      }
      // The fraction: trailing zeros dropped (".500" and ".5" are the same time).
      if let dot = t.firstIndex(of: ".") {
        var end = t[dot...].dropFirst().firstIndex { !$0.isNumber } ?? t.endIndex
        var frac = String(t[t.index(after: dot)..<end])
        while frac.hasSuffix("0") { frac.removeLast() }
        end = end == t.endIndex ? t.endIndex : end
        t = String(t[..<dot]) + (frac.isEmpty ? "" : "." + frac) + String(t[end...])
      }
    }
    return t
  }
}

/// Dates, times and offsets are range-checked: a date the calendar does not have is refused with
/// its place, not written back (Python's tomllib refused the output).
@Suite struct DateRangeTests {
  @Test(arguments: [
    ("a = 1988-02-30T65:15:15Z", "day 30 is not 1–29"),
    ("a = 1987-02-29", "day 29 is not 1–28"),
    ("a = 2000-13-01", "month 13 is not 1–12"),
    ("a = 2000-01-01T24:00:00", "hour 24 is not 0–23"),
    ("a = 12:60:00", "minute 60 is not 0–59"),
    ("a = 12:00:61", "second 61 is not 0–60"),
    ("a = 2000-01-01T00:00:00+24:00", "offset hour 24 is not 0–23"),
    ("a = 2000-01-01T00:00:00-01:60", "offset minute 60 is not 0–59"),
  ])
  func outOfRangeIsRefused(_ text: String, _ message: String) {
    do {
      _ = try TOMLParser.parse(text)
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.message == "invalid date or time: \(message)")
      #expect(error.line == 1 && error.column > 4)
    }
  }

  @Test func realDatesParse() throws {
    let root = try TOMLParser.parse("a = 2000-02-29\nb = 1990-12-31T23:59:60Z\nc = 00:00\n").root
    #expect(root["a"] == .datetime("2000-02-29"))
    #expect(root["b"] == .datetime("1990-12-31T23:59:60Z"))
    #expect(root["c"] == .datetime("00:00"))
  }
}
