/// Reads typed values out of a `TOMLDict`, turning every wrong type into a diagnostic with its place
/// instead of failing: the rest of the file stays usable.
public struct TableReader {
  public let table: TOMLDict
  public let path: [PathSegment]
  public let file: SourceFile
  public private(set) var diagnostics: [Diagnostic] = []

  public init(_ table: TOMLDict, path: [PathSegment], file: SourceFile) {
    self.table = table
    self.path = path
    self.file = file
  }

  /// A reader of what a table reads as, for a model to compare its fields with what its file held
  /// (its problems were reported when the file was read; this reader's are not kept).
  init(quiet table: TOMLDict) {
    self.init(table, path: [], file: SourceFile(path: ""))
  }

  mutating func wrongType(_ key: String, expected: String, found: TOMLNode) {
    diagnostics.append(file.diagnostic(path + [.key(key)], "expected \(expected), found \(found.typeName)"))
  }

  public mutating func string(_ key: String) -> String? {
    guard let node = table[key] else { return nil }
    if case .string(let s) = node { return s }
    wrongType(key, expected: "a string", found: node)
    return nil
  }

  public mutating func double(_ key: String) -> Double? {
    guard let node = table[key] else { return nil }
    if let d = node.doubleValue { return d }
    wrongType(key, expected: "a number", found: node)
    return nil
  }

  public mutating func int(_ key: String) -> Int? {
    guard let node = table[key] else { return nil }
    if case .integer(let i) = node { return i }
    wrongType(key, expected: "an integer", found: node)
    return nil
  }

  public mutating func stringArray(_ key: String) -> [String]? {
    guard let node = table[key] else { return nil }
    guard case .array(let elements) = node else {
      wrongType(key, expected: "an array of strings", found: node)
      return nil
    }
    var out: [String] = []
    for (n, element) in elements.enumerated() {
      if case .string(let s) = element {
        out.append(s)
      } else {
        diagnostics.append(
          file.diagnostic(path + [.key(key), .index(n)], "expected a string, found \(element.typeName)"))
      }
    }
    return out
  }

  public mutating func table(_ key: String) -> TOMLDict? {
    guard let node = table[key] else { return nil }
    if case .table(let t) = node { return t }
    wrongType(key, expected: "a table", found: node)
    return nil
  }

  /// An array of tables, with each element's index.
  public mutating func tableArray(_ key: String) -> [(Int, TOMLDict)]? {
    guard let node = table[key] else { return nil }
    guard case .array(let elements) = node else {
      wrongType(key, expected: "an array of tables", found: node)
      return nil
    }
    var out: [(Int, TOMLDict)] = []
    for (n, element) in elements.enumerated() {
      if case .table(let t) = element {
        out.append((n, t))
      } else {
        diagnostics.append(
          file.diagnostic(path + [.key(key), .index(n)], "expected a table, found \(element.typeName)"))
      }
    }
    return out
  }

  /// A reader for a nested table.
  public func child(_ t: TOMLDict, _ segments: PathSegment...) -> TableReader {
    TableReader(t, path: path + segments, file: file)
  }

  /// Warns of every key of the table that is not among `known`, with the nearest known key when
  /// one is close: a typo (`temprature`) would otherwise be kept silently and never take effect.
  /// The key stays in the table (and in the file on save).
  public mutating func warnUnknownKeys(_ known: [String]) {
    for key in table.keys where !known.contains(key) {
      diagnostics.append(
        file.diagnostic(
          path + [.key(key)], "unknown key \(TerminalSafe.quoted(key)), kept" + Suggest.hint(key, among: known),
          severity: .warning))
    }
  }

  public mutating func absorb(_ other: TableReader) { diagnostics += other.diagnostics }
  public mutating func report(_ d: Diagnostic) { diagnostics.append(d) }
}

/// Setting known keys on a table while keeping every other key (and the order of those present).
///
/// A key that is absent, or holds a value of the wrong type (`temperature = "0.7"`, reported when
/// the file was read), was read as missing (`missing`: the value it then took). It is left as it
/// is while the value set is still that one: saving an entry writes what changed — it neither
/// drops what it could not read nor adds the defaults the entry did not spell out
/// (`description = ""`, `retry_count = 0`). A value set that differs (the user typed one)
/// replaces it.
extension TOMLDict {
  public mutating func set(_ key: String, _ value: String?, missing: String? = nil) {
    if value == missing, self[key]?.stringValue == nil { return }
    self[key] = value.map(TOMLNode.string)
  }

  public mutating func set(_ key: String, _ value: Double?, missing: Double? = nil) {
    if value == missing, self[key]?.doubleValue == nil { return }
    self[key] = value.map(TOMLNode.float)
  }

  public mutating func set(_ key: String, _ value: Int?, missing: Int? = nil) {
    if value == missing, self[key]?.integerValue == nil { return }
    self[key] = value.map(TOMLNode.integer)
  }

  /// Sets a string, or removes the key when the string is empty or nil (a value of the wrong type
  /// is kept then).
  public mutating func setNonEmpty(_ key: String, _ value: String?) {
    guard let value, !value.isEmpty else {
      if self[key]?.stringValue != nil { self[key] = nil }
      return
    }
    self[key] = .string(value)
  }

  /// Sets an array or a table, or removes the key when `node` is nil; `unchanged` (the value under
  /// the key, or its absence, reads as the one set) keeps what is there — elements of the wrong
  /// type in it too, and no key for an absent one (`depends_on = []` is not added).
  mutating func set(_ key: String, _ node: TOMLNode?, unchanged: Bool) {
    if unchanged { return }
    self[key] = node
  }
}
