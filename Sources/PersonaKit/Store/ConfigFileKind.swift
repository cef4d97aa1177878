/// The configuration files of DATA.md (tracks aside: one file each under `tracks/`).
public enum ConfigFileKind: String, Sendable, CaseIterable {
  case personas = "personas.toml"
  case presets = "presets.toml"
  case toolPresets = "tool_presets.toml"
  case biasProfiles = "bias_profiles.toml"
  case tools = "tools.toml"
  case models = "models.toml"
  case mma = "mma.toml"
  case aiSettings = "ai_settings.toml"

  public var fileName: String { rawValue }

  /// What one entry of the file is called in messages.
  public var entryLabel: String {
    switch self {
    case .personas: return "persona"
    case .presets: return "system prompt preset"
    case .toolPresets: return "tool preset"
    case .biasProfiles: return "bias profile"
    case .tools: return "tool"
    case .models: return "provider"
    case .mma: return "tier"
    case .aiSettings: return "setting"
    }
  }

  /// The top-level table that holds the named entries.
  public var collectionKey: String? {
    switch self {
    case .personas: return "personas"
    case .presets: return "presets"
    case .toolPresets: return "tool_presets"
    case .biasProfiles: return "bias_profiles"
    case .tools: return "tools"
    case .models: return "providers"
    case .mma, .aiSettings: return nil
    }
  }
}

/// Identifies one file of one scope.
public enum ConfigFileID: Hashable, Sendable, CustomStringConvertible {
  case file(ConfigFileKind, Scope)
  case track(String, Scope)

  public var scope: Scope {
    switch self {
    case .file(_, let s), .track(_, let s): return s
    }
  }

  /// The kind of file (nil for a track).
  public var kind: ConfigFileKind? {
    if case .file(let k, _) = self { return k }
    return nil
  }

  public var description: String {
    switch self {
    case .file(let k, let s): return "\(s.rawValue) \(k.fileName)"
    case .track(let n, let s): return "\(s.rawValue) tracks/\(n).toml"
    }
  }
}
