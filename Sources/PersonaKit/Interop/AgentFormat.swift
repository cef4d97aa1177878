import FoundationEssentials

/// The agent tools whose agent files Dramatis writes and reads (docs/interop.md: each format as
/// its tool documents it).
public enum AgentFormat: String, CaseIterable, Sendable, Codable {
  case claudeCode = "claude-code"
  case opencode
  case codex
  case gemini
  case copilot

  /// The tool's name in messages ("Claude Code has no per-agent temperature").
  public var label: String {
    switch self {
    case .claudeCode: return "Claude Code"
    case .opencode: return "opencode"
    case .codex: return "Codex CLI"
    case .gemini: return "Gemini CLI"
    case .copilot: return "GitHub Copilot"
    }
  }

  /// The catalog's providers whose models the tool runs (nil: any, named `provider/model`). The
  /// first is the tool's own: a model it names that the catalog does not list is that provider's.
  public var providers: [String]? {
    switch self {
    case .claudeCode: return ["anthropic"]
    case .codex: return ["openai"]
    case .gemini: return ["gemini"]
    case .copilot: return ["anthropic", "openai", "gemini"]
    case .opencode: return nil
    }
  }

  public func runs(provider: String) -> Bool {
    providers.map { $0.contains(provider) } ?? !provider.isEmpty
  }

  /// The providers as messages name them ("Anthropic, OpenAI and Gemini").
  var providerNames: String {
    guard let p = providers else { return "provider/model" }
    let names = p.map { ["anthropic": "Anthropic", "openai": "OpenAI", "gemini": "Gemini"][$0] ?? $0 }
    return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
  }

  /// The project folder the tool reads its agents from, under the project's root.
  public var projectDir: String {
    switch self {
    case .claudeCode: return ".claude/agents"
    case .opencode: return ".opencode/agent"
    case .codex: return ".codex/agents"
    case .gemini: return ".gemini/agents"
    case .copilot: return ".github/agents"
    }
  }

  /// The file an agent of that id is written to.
  public func fileName(_ id: String) -> String {
    switch self {
    case .codex: return id + ".toml"
    case .copilot: return id + ".agent.md"
    default: return id + ".md"
    }
  }

  /// The agent id a file name gives (nil: not an agent file of this format).
  public func id(ofFile name: String) -> String? {
    let suffix: String
    switch self {
    case .codex: suffix = ".toml"
    case .copilot: suffix = name.hasSuffix(".agent.md") ? ".agent.md" : ".md"
    default: suffix = ".md"
    }
    guard name.hasSuffix(suffix), name.count > suffix.count, !name.hasPrefix(".") else { return nil }
    // (README.md and the like beside the agents are not agents.)
    if ["readme.md", "agents.md", "claude.md", "gemini.md"].contains(name.lowercased()) { return nil }
    return String(name.dropLast(suffix.count))
  }

  /// The format a path's place says, when it says one: `.claude/agents/x.md`, `x.agent.md`,
  /// `~/.codex/agents/x.toml`. A bare `x.toml` or `x.md` says nothing (it may be a persona export).
  public static func inferred(from path: String) -> AgentFormat? {
    let p = path.hasSuffix("/") ? String(path.dropLast()) : path
    if p.hasSuffix(".agent.md") || p.contains(".github/agents") || p.contains(".copilot/agents") { return .copilot }
    if p.contains(".claude/agents") || p.hasSuffix(".claude") { return .claudeCode }
    if p.contains("opencode/agent") || p.contains(".opencode") || p.hasSuffix("/opencode.json") || p == "opencode.json"
    {
      return .opencode
    }
    if p.contains(".codex/agents") || p.hasSuffix(".codex") { return .codex }
    if p.contains(".gemini/agents") || p.contains("gemini-cli/agents") || p.hasSuffix(".gemini") { return .gemini }
    return nil
  }

  /// Whether the tool names agents by a slug (lower-case, digits, hyphens) rather than by the
  /// persona's name as it is.
  public var defaultNameStyle: NameStyle { self == .copilot ? .name : .slug }

  public enum NameStyle: String, Sendable, CaseIterable {
    /// `Security Reviewer` → `security-reviewer`.
    case slug
    /// The persona's name as it is (its file name is still the slug).
    case name
  }

  /// `Security Reviewer` → `security-reviewer`: letters and digits of ASCII, lower-cased, every
  /// run of anything else one hyphen. A name with no such letter (`レビュー`) gets `persona-` and
  /// a hash of the name, so that it is still one file of its own.
  public static func slug(_ name: String) -> String {
    var out = ""
    var gap = false
    for u in name.unicodeScalars {
      if u.isASCII, u.properties.isAlphabetic || ("0"..."9").contains(u) {
        if gap && !out.isEmpty { out.append("-") }
        gap = false
        out.unicodeScalars.append(u.properties.lowercaseMapping.unicodeScalars.first ?? u)
      } else {
        gap = true
      }
    }
    if out.isEmpty {
      return "persona-" + String(FNV.hash(Array(name.utf8)) & 0xFFFF_FFFF, radix: 16)
    }
    return out
  }
}

/// FNV-1a, 64 bits: what tells that a file's bytes changed since they were written (`AgentSync`)
/// and a short name for a name without ASCII letters. Not a defence against someone who means to
/// collide: a way to notice an edit.
enum FNV {
  static func hash(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let s = String(hash(bytes), radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
