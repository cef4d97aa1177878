import PersonaKit

/// Personas as JSON and text for the CLI.
enum PersonaJSON {
  /// The persona's fields exactly as in its TOML table (unknown keys included), plus its name and scope.
  static func object(_ p: Persona, scope: Scope?, usedBy: [Reference]? = nil) -> JSONValue {
    var pairs: [(String, JSONValue)] = [("name", .string(p.name))]
    if let scope { pairs.append(("scope", .string(scope.rawValue))) }
    if case .object(let fields) = JSONValue(.table(p.table)) { pairs += fields }
    if let usedBy { pairs.append(("used_by", .array(usedBy.map { .string($0.place) }))) }
    return .object(pairs)
  }

  static func modelText(_ m: ModelSettings?) -> String {
    guard let m else { return "-" }
    var s = [m.provider, m.model].compactMap { $0 }.joined(separator: "/")
    if let t = m.temperature { s += " t=\(TOMLWriter.formatFloat(t))" }
    return s.isEmpty ? "-" : s
  }
}
