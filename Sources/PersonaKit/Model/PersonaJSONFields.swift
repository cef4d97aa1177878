/// The Persona Editor's JSON fields: `preferred_models` after the first (the fallback models) as a
/// JSON array, and `tier_assignments` as a JSON object. Parse errors carry line and column; schema
/// errors name the key.
///
/// A key this program does not know (`region = "eu"` in a fallback model) is shown and accepted
/// when the persona's file already has it in one of the persona's models (`keeping`): a key typed
/// in that the file does not have is refused, as a typo would be. Such a key written back with the
/// value the file has keeps the file's TOML value (a date, `1.0`), and otherwise takes the JSON's.
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

  static func settings(
    _ value: JSONValue, at place: String, requireModel: Bool, keeping file: [ModelSettings]
  ) throws(Problem) -> ModelSettings {
    guard let object = value.object else {
      throw Problem(message: "\(place): expected an object, found \(value.typeName)")
    }
    var m = ModelSettings()
    // The keys in the JSON's order, so that a save writes them in the order shown.
    var raw = TOMLDict()
    for (key, v) in object {
      switch key {
      case "provider", "model":
        guard let s = v.string else {
          throw Problem(message: "\(place).\(key): expected a string, found \(v.typeName)")
        }
        if key == "provider" { m.provider = s } else { m.model = s }
        raw[key] = .string(s)
      case "max_output_tokens":
        guard let n = v.number, n.rounded() == n else {
          throw Problem(message: "\(place).\(key): expected an integer, found \(v.typeName)")
        }
        // Beyond 2^53 a JSON number is not an exact integer (and beyond Int.max not one at all).
        guard abs(n) < 9e15 else {
          throw Problem(message: "\(place).\(key): \(JSONWriter.formatNumber(n)) is too large")
        }
        m.maxOutputTokens = Int(n)
        raw[key] = .integer(Int(n))
      case "temperature", "top_p":
        guard let n = v.number else {
          throw Problem(message: "\(place).\(key): expected a number, found \(v.typeName)")
        }
        if key == "temperature" { m.temperature = n } else { m.topP = n }
        raw[key] = .float(n)
      default:
        let inFile = file.compactMap { $0.raw[key] }
        guard !inFile.isEmpty else {
          throw Problem(
            message: "\(place).\(key): unknown key (use provider, model, temperature, top_p, max_output_tokens)")
        }
        if let same = inFile.first(where: { JSONValue($0) == v }) {
          raw[key] = same
        } else if let node = v.tomlNode {
          raw[key] = node
        } else {
          throw Problem(message: "\(place).\(key): TOML has no null (remove the key to remove it)")
        }
      }
    }
    m.raw = raw
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

  /// The fallback models the field's text describes; `keeping`: the persona's models as its file
  /// has them (their unknown keys are accepted).
  public static func fallbacks(_ text: String, keeping file: [ModelSettings] = []) throws(Problem)
    -> [ModelSettings]
  {
    let value = try parse(text)
    guard let array = value.array else {
      throw Problem(message: "expected a JSON array of models, found \(value.typeName)")
    }
    var out: [ModelSettings] = []
    for (i, v) in array.enumerated() { out.append(try settings(v, at: "[\(i)]", requireModel: true, keeping: file)) }
    return out
  }

  /// The tier overrides the field's text describes; `keeping` as for `fallbacks`.
  public static func tiers(_ text: String, keeping file: [ModelSettings] = []) throws(Problem)
    -> [TierAssignment]
  {
    let value = try parse(text)
    guard let object = value.object else {
      throw Problem(message: "expected a JSON object of tiers, found \(value.typeName)")
    }
    var out: [TierAssignment] = []
    for (key, v) in object {
      let a = TierAssignment(tierKey: key, settings: try settings(v, at: key, requireModel: false, keeping: file))
      guard a.tier != nil else { throw Problem(message: "\(key): unknown tier key (use tier1, tier2, tier3, tier4)") }
      out.append(a)
    }
    return out
  }
}
