/// An entry with a name that is its id.
public protocol NamedEntry: Sendable {
  var name: String { get set }
}

extension Persona: NamedEntry {}
extension SystemPromptPreset: NamedEntry {}
extension ToolPreset: NamedEntry {}
extension BiasProfile: NamedEntry {}

/// The kinds of entries PersonaManager creates, renames and deletes.
public enum EntryKind: String, Sendable, CaseIterable {
  case persona
  case preset
  case toolPreset
  case biasProfile

  public var label: String {
    switch self {
    case .persona: return "persona"
    case .preset: return "system prompt preset"
    case .toolPreset: return "tool preset"
    case .biasProfile: return "bias profile"
    }
  }

  public var fileKind: ConfigFileKind {
    switch self {
    case .persona: return .personas
    case .preset: return .presets
    case .toolPreset: return .toolPresets
    case .biasProfile: return .biasProfiles
    }
  }

  /// The key a persona (and the AI Settings overrides) use to name an entry of this kind.
  var personaField: WritableKeyPath<Persona, String?>? {
    switch self {
    case .persona: return nil
    case .preset: return \.systemPromptPresetID
    case .toolPreset: return \.toolPresetID
    case .biasProfile: return \.biasProfileID
    }
  }

  var overrideKey: String? {
    switch self {
    case .persona: return nil
    case .preset: return "system_prompt_preset_id"
    case .toolPreset: return "tool_preset_id"
    case .biasProfile: return "bias_profile_id"
    }
  }
}

/// A place that names an entry.
public struct Reference: Sendable, Equatable, CustomStringConvertible {
  public var file: ConfigFileID
  /// `mma.toml tier3`, `track auth ticket T-004`, `persona "Security Reviewer"` …
  public var place: String

  public var description: String { place }
}
