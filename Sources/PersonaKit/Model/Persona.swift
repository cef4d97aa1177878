/// A named, reusable definition of who an agent is and how it runs. Its name is its id.
public struct Persona: Sendable, Equatable {
  public var name: String
  public var description: String
  public var systemPromptPresetID: String?
  public var systemPrompt: String?
  public var toolPresetID: String?
  public var biasProfileID: String?
  /// The first is the primary model; the rest are the escalation order.
  public var preferredModels: [ModelSettings]
  /// Per-tier overrides (`tier1`…`tier4`), in file order.
  public var tierAssignments: [TierAssignment]
  public var raw: TOMLDict

  public init(
    name: String, description: String = "", systemPromptPresetID: String? = nil, systemPrompt: String? = nil,
    toolPresetID: String? = nil, biasProfileID: String? = nil, preferredModels: [ModelSettings] = [],
    tierAssignments: [TierAssignment] = []
  ) {
    self.name = name
    self.description = description
    self.systemPromptPresetID = systemPromptPresetID
    self.systemPrompt = systemPrompt
    self.toolPresetID = toolPresetID
    self.biasProfileID = biasProfileID
    self.preferredModels = preferredModels
    self.tierAssignments = tierAssignments
    self.raw = TOMLDict()
  }

  /// The override for tier `n` (1…4), if any.
  public func tierAssignment(_ n: Int) -> ModelSettings? {
    tierAssignments.first { $0.tierKey == "tier\(n)" }?.settings
  }

  /// The keys of a persona's table.
  public static let keys = [
    "description", "system_prompt_preset_id", "system_prompt", "tool_preset_id", "bias_profile_id",
    "preferred_models", "tier_assignments", "interop",
  ]

  public static func read(name: String, _ reader: inout TableReader) -> Persona {
    var p = Persona(name: name)
    p.description = reader.string("description") ?? ""
    p.systemPromptPresetID = reader.string("system_prompt_preset_id")
    p.systemPrompt = reader.string("system_prompt")
    p.toolPresetID = reader.string("tool_preset_id")
    p.biasProfileID = reader.string("bias_profile_id")
    for (n, t) in reader.tableArray("preferred_models") ?? [] {
      var r = reader.child(t, .key("preferred_models"), .index(n))
      p.preferredModels.append(ModelSettings.read(&r))
      r.warnUnknownKeys(ModelSettings.keys)
      reader.absorb(r)
    }
    if let tiers = reader.table("tier_assignments") {
      for (key, value) in tiers.entries {
        guard case .table(let t) = value else {
          reader.report(
            reader.file.diagnostic(
              reader.path + [.key("tier_assignments"), .key(key)], "expected a table, found \(value.typeName)"))
          continue
        }
        var r = reader.child(t, .key("tier_assignments"), .key(key))
        p.tierAssignments.append(TierAssignment(tierKey: key, settings: ModelSettings.read(&r)))
        r.warnUnknownKeys(ModelSettings.keys)
        reader.absorb(r)
      }
    }
    reader.warnUnknownKeys(Persona.keys)
    p.raw = reader.table
    return p
  }

  /// The persona's table: what was read (`raw`, unknown keys included) with the known keys set
  /// from the fields. A field that reads as it did keeps its value in the file, wrong types and
  /// elements of the wrong type included (they were reported when read).
  public var table: TOMLDict {
    var t = raw
    t.set("description", description, missing: "")
    t.setNonEmpty("system_prompt_preset_id", systemPromptPresetID)
    t.setNonEmpty("system_prompt", systemPrompt)
    t.setNonEmpty("tool_preset_id", toolPresetID)
    t.setNonEmpty("bias_profile_id", biasProfileID)
    var reader = TableReader(quiet: raw)
    let was = Persona.read(name: name, &reader)
    t.set(
      "preferred_models", preferredModels.isEmpty ? nil : .array(preferredModels.map { .table($0.table) }),
      unchanged: preferredModels == was.preferredModels)
    if tierAssignments != was.tierAssignments || raw["tier_assignments"] == nil {
      // Entries that are not tables (reported when read) stay; the assignments are written.
      var tiers = raw["tier_assignments"]?.tableValue ?? TOMLDict()
      for key in tiers.keys
      where tiers[key]?.tableValue != nil && !tierAssignments.contains(where: { $0.tierKey == key }) {
        tiers[key] = nil
      }
      for a in tierAssignments { tiers[a.tierKey] = .table(a.settings.table) }
      t["tier_assignments"] = tiers.isEmpty ? nil : .table(tiers)
    }
    return t
  }
}

/// A persona's override of model settings when it runs at one tier.
public struct TierAssignment: Sendable, Equatable {
  /// `tier1` … `tier4` (anything else is reported by validation and kept).
  public var tierKey: String
  public var settings: ModelSettings

  public init(tierKey: String, settings: ModelSettings) {
    self.tierKey = tierKey
    self.settings = settings
  }

  /// 1…4 for a valid key.
  public var tier: Int? {
    guard tierKey.hasPrefix("tier"), let n = Int(tierKey.dropFirst(4)), (1...4).contains(n) else { return nil }
    return n
  }
}
