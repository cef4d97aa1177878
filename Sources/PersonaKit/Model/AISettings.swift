/// `ai_settings.toml`: the AI Settings panel's state — the bound persona and the fields the user
/// unbound by editing them (their values).
public struct AISettings: Sendable, Equatable {
  /// The fields of the panel that can be unbound.
  public static let fieldKeys = [
    "provider", "model", "temperature", "top_p", "max_output_tokens", "tool_preset_id", "bias_profile_id",
  ]

  public var personaID: String?
  /// Field key → value, for the unbound fields only.
  public var overrides: TOMLDict

  public init(personaID: String? = nil, overrides: TOMLDict = TOMLDict()) {
    self.personaID = personaID
    self.overrides = overrides
  }

  public var modelOverrides: ModelSettings {
    var r = TableReader(overrides, path: [.key("overrides")], file: SourceFile(path: "ai_settings.toml"))
    return ModelSettings.read(&r)
  }

  public static func read(_ reader: inout TableReader) -> AISettings {
    var s = AISettings(personaID: reader.string("persona"))
    if let o = reader.table("overrides") {
      s.overrides = o
      var r = reader.child(o, .key("overrides"))
      _ = ModelSettings.read(&r)
      _ = r.string("tool_preset_id")
      _ = r.string("bias_profile_id")
      reader.absorb(r)
    }
    reader.warnUnknownKeys(["persona", "overrides"])
    return s
  }

  public func write(onto root: TOMLDict) -> TOMLDict {
    var t = root
    t.setNonEmpty("persona", personaID)
    t["overrides"] = overrides.isEmpty ? nil : .table(overrides)
    return t
  }
}
