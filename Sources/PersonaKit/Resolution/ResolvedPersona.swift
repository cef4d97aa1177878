/// How the persona of a worker was chosen (the names of DATA.md and the stream logs).
public enum PersonaSource: String, Sendable, Codable {
  case ticketOverride = "ticket_override"
  case track
  case tierAssignment = "tier_assignment"
  case `default`
  case none
}

/// Where one effective field came from: the layer of DATA.md "Resolution".
public enum FieldOrigin: Sendable, Equatable, CustomStringConvertible {
  /// Layer 1: the ticket's `model_override`.
  case modelOverride(ticket: String)
  /// The provider that lists the overriding model in the catalog.
  case modelCatalog(model: String)
  /// Layer 2: the persona's `tier_assignments.tierN`.
  case tierAssignment(persona: String, tier: Int)
  /// Layer 3: the persona's `preferred_models[index]`.
  case preferredModel(persona: String, index: Int)
  /// Layer 4: the system prompt preset.
  case preset(String)
  /// Layer 5: the provider's defaults in `models.toml`.
  case providerDefault(provider: String)
  /// The persona's own field (tool preset, bias profile, prompt).
  case persona(String)
  /// The bias profile (the tooling strategy it writes).
  case biasProfile(String)
  /// No persona: the AI Settings panel's unbound value.
  case aiSettings
  case unset

  /// The layer number of DATA.md (1…5), where it has one.
  public var layer: Int? {
    switch self {
    case .modelOverride, .modelCatalog: return 1
    case .tierAssignment: return 2
    case .preferredModel: return 3
    case .preset: return 4
    case .providerDefault: return 5
    case .persona, .biasProfile, .aiSettings, .unset: return nil
    }
  }

  /// A short machine name: `model_override`, `tier_assignment`, `preferred_models`, …
  public var kind: String {
    switch self {
    case .modelOverride: return "model_override"
    case .modelCatalog: return "model_catalog"
    case .tierAssignment: return "tier_assignment"
    case .preferredModel: return "preferred_models"
    case .preset: return "preset"
    case .providerDefault: return "provider_default"
    case .persona: return "persona"
    case .biasProfile: return "bias_profile"
    case .aiSettings: return "ai_settings"
    case .unset: return "unset"
    }
  }

  public var description: String {
    switch self {
    case .modelOverride(let t): return "ticket \(t) model_override"
    case .modelCatalog(let m): return "models.toml (the provider listing \(m))"
    case .tierAssignment(let p, let n): return "persona \"\(p)\" tier_assignments.tier\(n)"
    case .preferredModel(let p, let i): return "persona \"\(p)\" preferred_models[\(i)]"
    case .preset(let p): return "preset \"\(p)\""
    case .providerDefault(let p): return "models.toml providers.\(p).defaults"
    case .persona(let p): return "persona \"\(p)\""
    case .biasProfile(let b): return "bias profile \"\(b)\""
    case .aiSettings: return "ai_settings.toml overrides"
    case .unset: return "not set"
    }
  }
}

/// A value and the layer it came from.
public struct Resolved<Value: Sendable & Equatable>: Sendable, Equatable {
  public var value: Value?
  public var origin: FieldOrigin

  public init(_ value: Value?, _ origin: FieldOrigin) {
    self.value = value
    self.origin = value == nil ? .unset : origin
  }

  public static var unset: Resolved { Resolved(nil, .unset) }
}

/// One part of the effective system prompt and where it came from.
public struct PromptPart: Sendable, Equatable {
  public var origin: FieldOrigin
  /// `preset`, `persona`, `tooling_strategy`.
  public var kind: String
  public var text: String

  public init(origin: FieldOrigin, kind: String, text: String) {
    self.origin = origin
    self.kind = kind
    self.text = text
  }
}

/// The effective persona of a worker: every field with its origin.
public struct ResolvedPersona: Sendable {
  public var tier: Int
  public var track: String?
  public var ticket: String?
  public var retry: Int

  /// The persona's name, or nil (then AI Settings values apply).
  public var personaName: String?
  public var source: PersonaSource
  /// With `.none`: the persona bound in the AI Settings panel whose values were used, if any.
  public var aiSettingsPersona: String?

  public var provider: Resolved<String>
  public var model: Resolved<String>
  public var temperature: Resolved<Double>
  public var topP: Resolved<Double>
  public var maxOutputTokens: Resolved<Int>
  public var systemPromptPresetID: Resolved<String>
  public var toolPresetID: Resolved<String>
  public var biasProfileID: Resolved<String>

  public var promptParts: [PromptPart]
  public var tools: [EffectiveTool]
  /// Things resolution had to step over (a persona or preset that does not exist).
  public var warnings: [String]

  /// The effective system prompt: the preset's text, the persona's own, the tooling strategy.
  public var systemPrompt: String { promptParts.map(\.text).joined(separator: "\n\n") }
}
