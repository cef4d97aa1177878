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
    reader.warnUnknownKeys(["description", "category_multipliers", "tool_weights"])
    b.raw = reader.table
    return b
  }

  public var table: TOMLDict {
    var t = raw
    t.set("description", description, missing: "")
    Self.set(&t, "category_multipliers", categoryMultipliers, reads: { $0.doubleValue != nil }) { .float($0) }
    Self.set(&t, "tool_weights", toolWeights, reads: { $0.integerValue != nil }) { .integer($0) }
    return t
  }

  /// Sets a dictionary as a table, keeping the order of the keys it had in the file (new keys
  /// sorted after) and the entries that do not read as a value (`reads`), which were reported; a
  /// value under `key` that is not a table stays while the dictionary is empty.
  static func set<V>(
    _ t: inout TOMLDict, _ key: String, _ d: [String: V], reads: (TOMLNode) -> Bool, _ node: (V) -> TOMLNode
  ) {
    if let old = t[key], old.tableValue == nil, d.isEmpty { return }
    let old = t[key]?.tableValue ?? TOMLDict()
    var out = TOMLDict()
    for (k, v) in old.entries {
      if let value = d[k] {
        out[k] = node(value)
      } else if !reads(v) {
        out[k] = v
      }
    }
    for k in d.keys.sorted() where out[k] == nil { out[k] = node(d[k]!) }
    t[key] = .table(out)
  }
}
