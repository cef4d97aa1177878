/// The fields of the AI Settings panel that Live Binding ties to a persona.
public enum AIField: String, CaseIterable, Sendable {
  case provider
  case model
  case temperature
  case topP = "top_p"
  case maxOutputTokens = "max_output_tokens"
  case toolPresetID = "tool_preset_id"
  case biasProfileID = "bias_profile_id"

  public var label: String {
    switch self {
    case .provider: return "Provider"
    case .model: return "Model"
    case .temperature: return "Temperature"
    case .topP: return "Top-p"
    case .maxOutputTokens: return "Max output tokens"
    case .toolPresetID: return "Tool preset"
    case .biasProfileID: return "Bias profile"
    }
  }
}

/// One field of the panel: its value, and whether the user unbound it by editing it.
public struct PanelField: Sendable, Equatable {
  public var value: TOMLNode?
  /// True when the value is the user's (kept in `ai_settings.toml` `[overrides]`), not the persona's.
  public var modified: Bool
  /// What the persona says for this field (shown when reverting is possible).
  public var personaValue: TOMLNode?
}

/// Live Binding (PRODUCT.md): the panel shows the bound persona's values, except for the fields the
/// user edited (unbound, marked modified), which keep their own values whatever the persona does.
/// Everything here is computed from the persona as it is *now*, so a persona changed and saved
/// anywhere (the editor, another process, a text editor) shows at once in the bound fields.
public enum LiveBinding {
  /// The persona's value of every field: its first preferred model gives provider, model,
  /// temperature, top_p and max tokens; where that entry is silent, the preset, then the provider's
  /// defaults (as resolution does).
  public static func personaValues(_ persona: Persona?, config: Config) -> [AIField: TOMLNode] {
    guard let persona else { return [:] }
    var out: [AIField: TOMLNode] = [:]
    let first = persona.preferredModels.first ?? ModelSettings()
    let preset = persona.systemPromptPresetID.flatMap { config.presets[$0] }
    let provider = first.provider.flatMap { config.providers[$0] }
    let defaults = provider?.defaults ?? ModelSettings()
    out[.provider] = first.provider.map(TOMLNode.string)
    out[.model] = (first.model ?? defaults.model).map(TOMLNode.string)
    out[.temperature] = (first.temperature ?? preset?.temperature ?? defaults.temperature).map(TOMLNode.float)
    out[.topP] = (first.topP ?? preset?.topP ?? defaults.topP).map(TOMLNode.float)
    out[.maxOutputTokens] = (first.maxOutputTokens ?? preset?.maxOutputTokens ?? defaults.maxOutputTokens).map(
      TOMLNode.integer)
    out[.toolPresetID] = persona.toolPresetID.map(TOMLNode.string)
    out[.biasProfileID] = persona.biasProfileID.map(TOMLNode.string)
    return out
  }

  /// Every field as the panel shows it.
  public static func fields(_ settings: AISettings, config: Config) -> [AIField: PanelField] {
    let bound = settings.personaID.flatMap { config.personas[$0] }
    let values = personaValues(bound, config: config)
    var out: [AIField: PanelField] = [:]
    for f in AIField.allCases {
      if let own = settings.overrides[f.rawValue] {
        out[f] = PanelField(value: own, modified: true, personaValue: values[f])
      } else {
        out[f] = PanelField(value: values[f], modified: false, personaValue: values[f])
      }
    }
    return out
  }

  /// Selecting a persona binds every field to it (the edits made for the previous one are dropped).
  public static func select(_ persona: String?, in settings: AISettings) -> AISettings {
    var s = settings
    if s.personaID != persona { s.overrides = TOMLDict() }
    s.personaID = persona
    return s
  }

  /// Editing a field unbinds it: its value is kept as an override. Setting the persona's own value
  /// back re-binds it. Another provider brings a model it lists when the model shown is not one
  /// of them (`Config.model(_:afterChangingProviderTo:)`, as in the Persona Editor).
  public static func edit(_ field: AIField, to value: TOMLNode?, in settings: AISettings, config: Config) -> AISettings
  {
    var s = settings
    let values = personaValues(s.personaID.flatMap { config.personas[$0] }, config: config)
    let personaValue = values[field]
    if value == personaValue {
      s.overrides[field.rawValue] = nil
    } else if let value {
      s.overrides[field.rawValue] = value
    } else {
      s.overrides[field.rawValue] = nil
    }
    if field == .provider, let p = value?.stringValue {
      let model = (s.overrides[AIField.model.rawValue] ?? values[.model])?.stringValue
      let moved = config.model(model, afterChangingProviderTo: p)
      if moved != model { s = edit(.model, to: moved.map(TOMLNode.string), in: s, config: config) }
    }
    return s
  }

  /// Revert: the field (or every field) follows the persona again.
  public static func revert(_ field: AIField?, in settings: AISettings) -> AISettings {
    var s = settings
    if let field {
      s.overrides[field.rawValue] = nil
    } else {
      s.overrides = TOMLDict()
    }
    return s
  }

  /// One change "Save to persona" makes.
  public struct Change: Sendable, Equatable, CustomStringConvertible {
    public var field: AIField
    public var old: TOMLNode?
    public var new: TOMLNode?

    public var description: String {
      func text(_ n: TOMLNode?) -> String { n.map { TOMLWriter.format($0, inline: true) } ?? "(none)" }
      return "\(field.label): \(text(old)) → \(text(new))"
    }
  }

  /// The persona with the panel's modified values written into it (provider, model and sampling
  /// into `preferred_models[0]`), and the list of changes for the confirmation.
  public static func saveToPersona(_ settings: AISettings, config: Config) -> (Persona, [Change])? {
    guard let name = settings.personaID, var persona = config.personas[name] else { return nil }
    let current = personaValues(persona, config: config)
    var changes: [Change] = []
    var first = persona.preferredModels.first ?? ModelSettings()
    for f in AIField.allCases {
      guard let value = settings.overrides[f.rawValue], value != current[f] else { continue }
      changes.append(Change(field: f, old: current[f], new: value))
      switch f {
      case .provider: first.provider = value.stringValue
      case .model: first.model = value.stringValue
      case .temperature: first.temperature = value.doubleValue
      case .topP: first.topP = value.doubleValue
      case .maxOutputTokens: if case .integer(let i) = value { first.maxOutputTokens = i }
      case .toolPresetID: persona.toolPresetID = value.stringValue
      case .biasProfileID: persona.biasProfileID = value.stringValue
      }
    }
    if persona.preferredModels.isEmpty {
      if !first.isEmpty { persona.preferredModels = [first] }
    } else {
      persona.preferredModels[0] = first
    }
    return (persona, changes)
  }
}
