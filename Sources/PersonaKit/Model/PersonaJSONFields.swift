/// The Persona Editor's JSON fields: `preferred_models` after the first (the fallback models) as a
/// JSON array, and `tier_assignments` as a JSON object. Parse errors carry line and column; schema
/// errors name the key.
public enum PersonaJSONFields {
  public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int?
    public var column: Int?
    public var description: String {
      if let line, let column { return "line \(line), column \(column): \(message)" }
      return message
    }
  }

  static let modelKeys: Set<String> = ["provider", "model", "temperature", "top_p", "max_output_tokens"]

  public static func text(fallbacks: [ModelSettings]) -> String {
    if fallbacks.isEmpty { return "[]" }
    return "[\n"
      + fallbacks.map { "  " + JSONWriter.write(JSONValue(.table($0.table)), pretty: false) }.joined(separator: ",\n")
      + "\n]"
  }

  public static func text(tiers: [TierAssignment]) -> String {
    if tiers.isEmpty { return "{}" }
    return "{\n"
      + tiers.map { "  \"\($0.tierKey)\": " + JSONWriter.write(JSONValue(.table($0.settings.table)), pretty: false) }
      .joined(separator: ",\n") + "\n}"
  }

  static func settings(_ value: JSONValue, at place: String, requireModel: Bool) throws(Problem) -> ModelSettings {
    guard let object = value.object else {
      throw Problem(message: "\(place): expected an object, found \(value.typeName)")
    }
    var m = ModelSettings()
    for (key, v) in object {
      guard modelKeys.contains(key) else {
        throw Problem(
          message: "\(place).\(key): unknown key (use provider, model, temperature, top_p, max_output_tokens)")
      }
      switch key {
      case "provider", "model":
        guard let s = v.string else {
          throw Problem(message: "\(place).\(key): expected a string, found \(v.typeName)")
        }
        if key == "provider" { m.provider = s } else { m.model = s }
      case "max_output_tokens":
        guard let n = v.number, n.rounded() == n else {
          throw Problem(message: "\(place).\(key): expected an integer, found \(v.typeName)")
        }
        m.maxOutputTokens = Int(n)
      default:
        guard let n = v.number else {
          throw Problem(message: "\(place).\(key): expected a number, found \(v.typeName)")
        }
        if key == "temperature" { m.temperature = n } else { m.topP = n }
      }
    }
    if requireModel && (m.provider == nil || m.model == nil) {
      throw Problem(message: "\(place): a preferred model needs \"provider\" and \"model\"")
    }
    return m
  }

  static func parse(_ text: String) throws(Problem) -> JSONValue {
    do { return try JSONParser.parse(text) } catch {
      throw Problem(message: error.message, line: error.line, column: error.column)
    }
  }

  public static func fallbacks(_ text: String) throws(Problem) -> [ModelSettings] {
    let value = try parse(text)
    guard let array = value.array else {
      throw Problem(message: "expected a JSON array of models, found \(value.typeName)")
    }
    var out: [ModelSettings] = []
    for (i, v) in array.enumerated() { out.append(try settings(v, at: "[\(i)]", requireModel: true)) }
    return out
  }

  public static func tiers(_ text: String) throws(Problem) -> [TierAssignment] {
    let value = try parse(text)
    guard let object = value.object else {
      throw Problem(message: "expected a JSON object of tiers, found \(value.typeName)")
    }
    var out: [TierAssignment] = []
    for (key, v) in object {
      let a = TierAssignment(tierKey: key, settings: try settings(v, at: key, requireModel: false))
      guard a.tier != nil else { throw Problem(message: "\(key): unknown tier key (use tier1, tier2, tier3, tier4)") }
      out.append(a)
    }
    return out
  }
}
