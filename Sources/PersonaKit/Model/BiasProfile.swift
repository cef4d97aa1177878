/// A bias profile (`bias_profiles.toml`): which tools the model should prefer.
public struct BiasProfile: Sendable, Equatable {
  public var name: String
  public var description: String
  /// Category → multiplier applied to every tool of that category (1.0 when absent).
  public var categoryMultipliers: [String: Double]
  /// Tool → weight (1…5) that replaces the tool preset's own weight.
  public var toolWeights: [String: Int]
  public var raw: TOMLDict

  public init(
    name: String, description: String = "", categoryMultipliers: [String: Double] = [:],
    toolWeights: [String: Int] = [:]
  ) {
    self.name = name
    self.description = description
    self.categoryMultipliers = categoryMultipliers
    self.toolWeights = toolWeights
    self.raw = TOMLDict()
  }

  public static func read(name: String, _ reader: inout TableReader) -> BiasProfile {
    var b = BiasProfile(name: name, description: reader.string("description") ?? "")
    if let m = reader.table("category_multipliers") {
      var r = reader.child(m, .key("category_multipliers"))
      for key in m.keys { if let d = r.double(key) { b.categoryMultipliers[key] = d } }
      reader.absorb(r)
    }
    if let w = reader.table("tool_weights") {
      var r = reader.child(w, .key("tool_weights"))
      for key in w.keys { if let i = r.int(key) { b.toolWeights[key] = i } }
      reader.absorb(r)
    }
    b.raw = reader.table
    return b
  }

  public var table: TOMLDict {
    var t = raw
    t.set("description", description)
    t["category_multipliers"] = .table(
      Self.ordered(categoryMultipliers, like: raw["category_multipliers"]?.tableValue) { .float($0) })
    t["tool_weights"] = .table(Self.ordered(toolWeights, like: raw["tool_weights"]?.tableValue) { .integer($0) })
    return t
  }

  /// A dictionary as a table, keeping the order of the keys it had in the file; new keys sorted after.
  static func ordered<V>(_ d: [String: V], like old: TOMLDict?, _ node: (V) -> TOMLNode) -> TOMLDict {
    var t = TOMLDict()
    for key in old?.keys ?? [] { if let v = d[key] { t[key] = node(v) } }
    for key in d.keys.sorted() where t[key] == nil { t[key] = node(d[key]!) }
    return t
  }
}
