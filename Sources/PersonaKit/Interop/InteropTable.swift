import FoundationEssentials

/// How our names become an agent tool's and back: tool names per format, opencode's provider
/// ids, Copilot's model names, Claude Code's model aliases. Shipped for the built-in tool catalog
/// and the shipped providers; `interop.toml` in the config dir changes or adds entries, key by
/// key (a value of `""` says the tool has no counterpart there: it is reported as dropped).
///
/// Several of our tools can map to one of theirs (run_shell, run_tests, git_commit → Bash): reading back, a
/// name of theirs becomes the first of ours that maps to it, in the table's order.
public struct InteropTable: Sendable {
  /// Per format: ours → theirs, in order.
  var tools: [AgentFormat: [(ours: String, theirs: String)]] = [:]
  var providers: [AgentFormat: [(ours: String, theirs: String)]] = [:]
  var models: [AgentFormat: [(ours: String, theirs: String)]] = [:]
  /// Problems of the user's file (its path and what is wrong), reported by the commands.
  public var problems: [String] = []

  public static let fileName = "interop.toml"

  public static let defaultText = """
    # How Dramatis names map to the agent tools' (dramatis personas export / import / sync).
    # [tools.FORMAT]: our tool = their tool; [providers.opencode]: our provider = opencode's id;
    # [models.copilot]: our model id = Copilot's model name; [models.claude-code]: alias = our id.
    # "" : no counterpart (reported as dropped). The read-only git tools have none: the tools'
    # shell would let a read-only persona run any command.

    [tools.claude-code]
    read_file = "Read"
    list_directory = "Glob"
    search_code = "Grep"
    find_symbol = "Grep"
    write_file = "Write"
    edit_file = "Edit"
    run_shell = "Bash"
    web_search = "WebSearch"
    fetch_url = "WebFetch"
    run_tests = "Bash"
    git_status = ""
    git_diff = ""
    git_log = ""
    git_commit = "Bash"
    delete_file = "Bash"

    [tools.opencode]
    read_file = "read"
    list_directory = "list"
    search_code = "grep"
    find_symbol = "grep"
    write_file = "write"
    edit_file = "edit"
    run_shell = "bash"
    web_search = "websearch"
    fetch_url = "webfetch"
    run_tests = "bash"
    git_status = ""
    git_diff = ""
    git_log = ""
    git_commit = "bash"
    delete_file = "bash"

    [tools.gemini]
    read_file = "read_file"
    list_directory = "list_directory"
    search_code = "grep_search"
    find_symbol = "grep_search"
    write_file = "write_file"
    edit_file = "replace"
    run_shell = "run_shell_command"
    web_search = "google_web_search"
    fetch_url = "web_fetch"
    run_tests = "run_shell_command"
    git_status = ""
    git_diff = ""
    git_log = ""
    git_commit = "run_shell_command"
    delete_file = "run_shell_command"

    [tools.copilot]
    read_file = "read"
    search_code = "search"
    list_directory = "search"
    find_symbol = "search"
    write_file = "edit"
    edit_file = "edit"
    run_shell = "execute"
    web_search = "web"
    fetch_url = "web"
    run_tests = "execute"
    git_status = ""
    git_diff = ""
    git_log = ""
    git_commit = "execute"
    delete_file = "execute"

    [providers.opencode]
    anthropic = "anthropic"
    openai = "openai"
    gemini = "google"
    deepseek = "deepseek"
    ollama = "ollama"

    [models.copilot]
    claude-sonnet-4-5 = "Claude Sonnet 4.5"
    claude-opus-4-1 = "Claude Opus 4.1"
    claude-haiku-4-5 = "Claude Haiku 4.5"
    gpt-5 = "GPT-5"
    gpt-5-mini = "GPT-5 mini"
    "gpt-4.1" = "GPT-4.1"
    "gemini-2.5-pro" = "Gemini 2.5 Pro"

    [models.claude-code]
    sonnet = "claude-sonnet-4-5"
    opus = "claude-opus-4-1"
    haiku = "claude-haiku-4-5"

    """

  /// The shipped table, with the config dir's `interop.toml` over it.
  public static func load(configDir: URL) -> InteropTable {
    var table = InteropTable()
    table.absorb(try! TOMLParser.parse(defaultText).root)
    let url = configDir.appendingPathComponent(fileName)
    guard let data = FileManager.default.contents(atPath: url.path) else { return table }
    do {
      table.absorb(try TOMLParser.parse(data).root, file: url.path)
    } catch {
      table.problems.append("\(url.path):\(error.line):\(error.column): \(error.message) (the shipped table is used)")
    }
    return table
  }

  public static var shipped: InteropTable {
    var table = InteropTable()
    table.absorb(try! TOMLParser.parse(defaultText).root)
    return table
  }

  mutating func absorb(_ root: TOMLDict, file: String = "") {
    func merge(_ section: String, into map: inout [AgentFormat: [(ours: String, theirs: String)]]) {
      guard let node = root[section] else { return }
      guard let byFormat = node.tableValue else {
        problems.append("\(file): [\(section)] must be a table of formats")
        return
      }
      for (formatName, value) in byFormat.entries {
        guard let format = AgentFormat(rawValue: formatName) else {
          let known = AgentFormat.allCases.map(\.rawValue).joined(separator: ", ")
          problems.append("\(file): [\(section).\(formatName)]: no such format (formats: \(known))")
          continue
        }
        for (ours, theirs) in value.tableValue?.entries ?? [] {
          guard let name = theirs.stringValue else {
            problems.append("\(file): [\(section).\(formatName)] \(ours): expected a string")
            continue
          }
          var list = map[format] ?? []
          if let i = list.firstIndex(where: { $0.ours == ours }) {
            list[i].theirs = name
          } else {
            list.append((ours, name))
          }
          map[format] = list
        }
      }
    }
    merge("tools", into: &tools)
    merge("providers", into: &providers)
    merge("models", into: &models)
    for key in root.keys where !["tools", "providers", "models"].contains(key) {
      problems.append("\(file): unknown key \(key) (interop.toml has [tools.*], [providers.*], [models.*])")
    }
  }

  /// Their name for one of our tools (nil: none).
  public func tool(_ ours: String, in format: AgentFormat) -> String? {
    tools[format]?.first { $0.ours == ours }.flatMap { $0.theirs.isEmpty ? nil : $0.theirs }
  }

  /// Our tool for one of theirs: the first that maps to it (nil: none).
  public func ourTool(_ theirs: String, in format: AgentFormat) -> String? {
    tools[format]?.first { $0.theirs == theirs }?.ours
  }

  public func provider(_ ours: String, in format: AgentFormat) -> String {
    providers[format]?.first { $0.ours == ours }.map(\.theirs) ?? ours
  }

  public func ourProvider(_ theirs: String, in format: AgentFormat) -> String {
    providers[format]?.first { $0.theirs == theirs }.map(\.ours) ?? theirs
  }

  /// Copilot's name for a model (nil: not in the table; the id is written).
  public func model(_ ours: String, in format: AgentFormat) -> String? {
    models[format]?.first { $0.ours == ours }.map(\.theirs)
  }

  /// Our model id for a name of theirs: Copilot's `Claude Sonnet 4.5`, Claude Code's `sonnet`.
  public func ourModel(_ theirs: String, in format: AgentFormat) -> String? {
    switch format {
    case .claudeCode: return models[format]?.first { $0.ours == theirs }?.theirs
    default: return models[format]?.first { $0.theirs == theirs }?.ours
    }
  }
}
