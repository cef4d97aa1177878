/// `mma.toml`: which persona each tier of the orchestrator uses, and the default persona.
public struct MMAConfig: Sendable, Equatable {
  /// The four tiers and their roles.
  public static let tierRoles = [1: "Orchestrator", 2: "Tech Lead", 3: "Worker", 4: "QA"]

  /// Tier key (`tier1`…) → persona name, in file order (keys outside tier1–tier4 are kept and reported).
  public var tiers: [(key: String, persona: String)]
  public var defaultPersona: String?

  public init(tiers: [(key: String, persona: String)] = [], defaultPersona: String? = nil) {
    self.tiers = tiers
    self.defaultPersona = defaultPersona
  }

  public static func == (a: MMAConfig, b: MMAConfig) -> Bool {
    a.defaultPersona == b.defaultPersona
      && a.tiers.map { "\($0.key)=\($0.persona)" } == b.tiers.map { "\($0.key)=\($0.persona)" }
  }

  /// The persona assigned to tier `n`.
  public func persona(forTier n: Int) -> String? {
    tiers.last { $0.key == "tier\(n)" }?.persona
  }

  public mutating func assign(tier n: Int, persona: String?) {
    let key = "tier\(n)"
    if let persona {
      if let i = tiers.firstIndex(where: { $0.key == key }) {
        tiers[i].persona = persona
      } else {
        tiers.append((key, persona))
      }
    } else {
      tiers.removeAll { $0.key == key }
    }
  }

  public static func read(_ reader: inout TableReader) -> MMAConfig {
    var m = MMAConfig(defaultPersona: reader.string("default_persona"))
    if let t = reader.table("tiers") {
      var r = reader.child(t, .key("tiers"))
      for key in t.keys { if let name = r.string(key) { m.tiers.append((key, name)) } }
      reader.absorb(r)
    }
    reader.warnUnknownKeys(["tiers", "default_persona"])
    return m
  }

  /// Writes this config over the file's root table, keeping unknown keys.
  public func write(onto root: TOMLDict) -> TOMLDict {
    var t = root
    // `tiers` of another type (reported when read) stays while no tier is assigned; entries that
    // are not strings stay unless their tier is assigned.
    if root["tiers"] != nil && root["tiers"]?.tableValue == nil && tiers.isEmpty {
      t.setNonEmpty("default_persona", defaultPersona)
      return t
    }
    var tiersTable = root["tiers"]?.tableValue ?? TOMLDict()
    for key in tiersTable.keys where tiersTable[key]?.stringValue != nil && !tiers.contains(where: { $0.key == key }) {
      tiersTable[key] = nil
    }
    for (key, persona) in tiers { tiersTable[key] = .string(persona) }
    t["tiers"] = .table(tiersTable)
    t.setNonEmpty("default_persona", defaultPersona)
    return t
  }
}
