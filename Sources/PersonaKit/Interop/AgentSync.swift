import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps agent tools' files a product of the personas (`dramatis sync`). `sync.toml` in the
/// config dir and in the project dir lists the targets:
///
///     [[targets]]
///     format = "claude-code"          # claude-code, opencode, codex, gemini, copilot
///     dir = ".claude/agents"          # project sync.toml: from the project's root; global: `~` or absolute
///     personas = ["Security Reviewer"] # optional: all when absent
///     name_style = "slug"             # optional: slug or name
///
/// What each sync wrote is recorded in `sync-state.toml` in the config dir: per file, the hash of
/// its bytes. A target file whose bytes are not the ones recorded was edited by hand (or never
/// written by Dramatis): it is not overwritten, and not removed, unless asked (`--force`), and
/// its edits can be read back into the persona (`--pull`).
public enum AgentSync {
  public struct Target: Sendable, Equatable {
    public var format: AgentFormat
    public var dir: URL
    public var personas: [String]?
    public var nameStyle: AgentFormat.NameStyle?
    /// Where it is written (`sync.toml` and the entry), for messages.
    public var place: String

    public init(format: AgentFormat, dir: URL, personas: [String]?, nameStyle: AgentFormat.NameStyle?, place: String) {
      self.format = format
      self.dir = dir
      self.personas = personas
      self.nameStyle = nameStyle
      self.place = place
    }
  }

  public static let fileName = "sync.toml"
  public static let stateFileName = "sync-state.toml"

  /// The targets of the global and the project `sync.toml` (global first). Refused with the place
  /// of the first problem.
  public static func targets(_ paths: ConfigPaths) throws(ConfigError) -> [Target] {
    var out: [Target] = []
    for scope in Scope.allCases {
      guard let dir = paths.directory(scope) else { continue }
      let url = dir.appendingPathComponent(fileName)
      guard let data = FileManager.default.contents(atPath: url.path) else { continue }
      let root: TOMLDict
      do {
        root = try TOMLParser.parse(data).root
      } catch {
        throw .invalid("\(url.path):\(error.line):\(error.column): \(error.message)")
      }
      // A project's targets are relative to its root (the folder holding .dramatis).
      let base =
        scope == .project
        ? dir.deletingLastPathComponent() : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      for key in root.keys where key != "targets" {
        throw .invalid("\(url.path): unknown key \(key) (sync.toml holds [[targets]])")
      }
      for (i, node) in (root["targets"]?.arrayValue ?? []).enumerated() {
        let place = "\(url.path): targets[\(i)]"
        guard let t = node.tableValue else { throw .invalid("\(place): expected a table") }
        guard let name = t["format"]?.stringValue, let format = AgentFormat(rawValue: name) else {
          throw .invalid(
            "\(place): format must be one of \(AgentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let dirText = t["dir"]?.stringValue ?? format.projectDir
        let expanded = expandingTilde(dirText, home: ProcessInfo.processInfo.environment["HOME"])
        let target = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : base.appendingPathComponent(expanded)
        var personas: [String]?
        if let list = t["personas"] {
          guard let items = list.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("\(place): personas must be a list of names")
          }
          personas = items.compactMap(\.stringValue)
        }
        var style: AgentFormat.NameStyle?
        if let s = t["name_style"] {
          guard let v = s.stringValue.flatMap(AgentFormat.NameStyle.init(rawValue:)) else {
            throw .invalid("\(place): name_style must be slug or name")
          }
          style = v
        }
        for key in t.keys where !["format", "dir", "personas", "name_style"].contains(key) {
          throw .invalid(
            "\(place): unknown key \(key)"
              + (Suggest.nearest(key, among: ["format", "dir", "personas", "name_style"]).map {
                " (did you mean \($0)?)"
              }
                ?? ""))
        }
        out.append(
          Target(format: format, dir: target.standardizedFileURL, personas: personas, nameStyle: style, place: place))
      }
    }
    return out
  }

  // MARK: What Dramatis wrote

  public struct Record: Sendable, Equatable {
    public var format: AgentFormat
    public var persona: String
    public var hash: String
  }

  static func hash(_ data: Data) -> String { "fnv1a64:" + FNV.hex(Array(data)) }

  public static func state(_ paths: ConfigPaths) -> [String: Record] {
    let url = paths.global.appendingPathComponent(stateFileName)
    guard let data = FileManager.default.contents(atPath: url.path),
      let root = try? TOMLParser.parse(data).root
    else { return [:] }
    var out: [String: Record] = [:]
    for (path, node) in root["files"]?.tableValue?.entries ?? [] {
      guard let t = node.tableValue, let f = t["format"]?.stringValue.flatMap(AgentFormat.init(rawValue:)),
        let p = t["persona"]?.stringValue, let h = t["hash"]?.stringValue
      else { continue }
      out[path] = Record(format: f, persona: p, hash: h)
    }
    return out
  }

  static func writeState(_ state: [String: Record], _ paths: ConfigPaths) throws(ConfigError) {
    var files = TOMLDict()
    for path in state.keys.sorted() {
      let r = state[path]!
      files[path] = .table(
        TOMLDict([("format", .string(r.format.rawValue)), ("persona", .string(r.persona)), ("hash", .string(r.hash))]))
    }
    let text =
      "# What `dramatis sync` wrote: per file, the hash of its bytes (a file whose bytes differ was edited by hand).\n"
      + TOMLWriter.write(TOMLDict([("files", .table(files))]))
    let url = paths.global.appendingPathComponent(stateFileName)
    do {
      try AtomicFile.write(Data(text.utf8), to: url, previous: nil)
    } catch {
      throw .writeFailed(error.description)
    }
  }

  // MARK: The plan

  public enum Status: String, Sendable {
    /// The file is as the persona makes it.
    case current
    /// Not there yet.
    case new
    /// As Dramatis wrote it, but the persona changed since.
    case stale
    /// Its bytes are not the ones Dramatis wrote (edited by hand, or never written by Dramatis).
    case edited
    /// Written for a persona no longer synced there (deleted, renamed, left out): to remove.
    case orphan
    /// An orphan edited by hand: kept.
    case editedOrphan = "edited-orphan"
  }

  public struct Item: Sendable, Equatable {
    public var target: Target
    public var path: String
    public var persona: String
    public var status: Status
    /// The bytes the persona makes (nil for an orphan).
    public var file: AgentFile?
  }

  /// Every file of every target with its status. Refused when a target names an unknown persona.
  public static func plan(
    _ targets: [Target], config: Config, table: InteropTable, state: [String: Record]
  ) throws(ConfigError) -> [Item] {
    // Each target's personas (names checked first).
    var lists: [[Persona]] = []
    for target in targets {
      var personas: [Persona] = []
      if let names = target.personas {
        for n in names {
          guard let p = config.personas[n] else {
            throw .invalid(
              "\(target.place): no persona named \(TerminalSafe.quoted(n))"
                + (Suggest.nearest(n, among: config.personas.names).map { " (did you mean \($0)?)" } ?? ""))
          }
          personas.append(p)
        }
      } else {
        personas = config.personas.values
      }
      lists.append(personas)
    }
    // The files, made and compared with the disk on every core: a persona's files for all the
    // targets together (its resolution shared), personas in slices.
    let unique = lists.flatMap { $0 }.reduce(into: (seen: Set<String>(), order: [Persona]())) {
      if $0.seen.insert($1.name).inserted { $0.order.append($1) }
    }.order
    let slice = 32
    let made = Mutex<[String: Item]>([:])
    let targetList = targets
    let wanted = lists.map { Set($0.map(\.name)) }
    performConcurrently((unique.count + slice - 1) / slice) { k in
      let resolutions = AgentExport.Resolutions()
      var mine: [String: Item] = [:]
      for p in unique[(k * slice)..<min(unique.count, (k + 1) * slice)] {
        for (t, target) in targetList.enumerated() where wanted[t].contains(p.name) {
          let f = AgentExport.file(
            p, as: target.format, config: config, table: table, nameStyle: target.nameStyle, resolutions: resolutions)
          mine["\(t)\u{0}\(p.name)"] = Self.item(f, in: target, state: state)
        }
      }
      made.withLock { all in all.merge(mine) { a, _ in a } }
    }
    let byKey = made.withLock { $0 }
    var items: [Item] = []
    var planned: Set<String> = []
    for (t, target) in targets.enumerated() {
      var owner: [String: String] = [:]
      for p in lists[t] {
        guard let item = byKey["\(t)\u{0}\(p.name)"] else { continue }
        if let other = owner[item.path] {
          throw .invalid(
            "personas \(TerminalSafe.quoted(other)) and \(TerminalSafe.quoted(p.name)) would both be \(item.path) "
              + "(\(target.format.label) names agents by \(item.file?.id ?? "")): rename one")
        }
        owner[item.path] = p.name
        planned.insert(item.path)
        items.append(item)
      }
    }
    // Files written before for a target's folder that no persona makes now.
    for target in targets {
      let prefix = target.dir.path + "/"
      for (path, record) in state.sorted(by: { $0.key < $1.key })
      where path.hasPrefix(prefix) && record.format == target.format && !planned.contains(path) {
        planned.insert(path)
        guard let disk = FileManager.default.contents(atPath: path) else { continue }
        let status: Status = hash(disk) == record.hash ? .orphan : .editedOrphan
        items.append(Item(target: target, path: path, persona: record.persona, status: status, file: nil))
      }
    }
    return items
  }

  /// A file the persona makes for a target, with the status of what is at its path.
  static func item(_ f: AgentFile, in target: Target, state: [String: Record]) -> Item {
    let path = target.dir.path + "/" + f.fileName
    let status: Status
    if let disk = FileManager.default.contents(atPath: path) {
      // (Compared in place: the file's bytes against the text's, no copy of either.)
      var text = f.text
      let same = text.withUTF8 { t in
        disk.count == t.count
          && disk.withUnsafeBytes { d in t.isEmpty || memcmp(d.baseAddress!, t.baseAddress!, t.count) == 0 }
      }
      if same {
        status = .current
      } else if state[path]?.hash == hash(disk) {
        status = .stale
      } else {
        status = .edited
      }
    } else {
      status = .new
    }
    return Item(target: target, path: path, persona: f.persona, status: status, file: f)
  }

  /// One persona's files: for each target that syncs it, the file and its status (the Persona
  /// Editor's view; only that persona is exported).
  public static func items(of persona: Persona, paths: ConfigPaths, config: Config) throws(ConfigError) -> [Item] {
    let table = InteropTable.load(configDir: paths.global)
    let state = state(paths)
    return try targets(paths).filter { $0.personas?.contains(persona.name) ?? true }.map { target in
      item(
        AgentExport.file(persona, as: target.format, config: config, table: table, nameStyle: target.nameStyle),
        in: target, state: state)
    }
  }

  // MARK: Carrying it out

  public struct Outcome: Sendable {
    public var written: [String] = []
    public var removed: [String] = []
    /// Files edited by hand that were left as they are.
    public var kept: [String] = []
  }

  /// Writes the new and stale files and removes the orphans, each atomically, and records what
  /// was written. `force`: edited files are overwritten and edited orphans removed too. Without
  /// it, edited files make the whole sync refuse (nothing written): `ConfigError.invalid` naming
  /// each.
  public static func apply(_ items: [Item], paths: ConfigPaths, force: Bool) throws(ConfigError) -> Outcome {
    let edited = items.filter { $0.status == .edited || $0.status == .editedOrphan }
    if !edited.isEmpty && !force {
      throw .invalid(
        "not synced: \(edited.count) file(s) changed since dramatis wrote them (or were not written by it):\n"
          + edited.map { "  \($0.path) (\($0.persona))" }.joined(separator: "\n")
          + "\n--pull reads their edits into the personas, --force overwrites them")
    }
    var state = state(paths)
    var outcome = Outcome()
    for item in items {
      switch item.status {
      case .current:
        if let f = item.file {
          state[item.path] = Record(format: f.format, persona: f.persona, hash: hash(Data(f.text.utf8)))
        }
      case .new, .stale, .edited:
        guard let f = item.file else { continue }
        let data = Data(f.text.utf8)
        do {
          try FileManager.default.createDirectory(at: item.target.dir, withIntermediateDirectories: true)
        } catch {
          throw .writeFailed("\(item.target.dir.path): cannot make the folder: \(systemMessage(error))")
        }
        do {
          try AtomicFile.write(data, to: URL(fileURLWithPath: item.path), previous: nil)
        } catch {
          try? writeState(state, paths)
          throw .writeFailed(error.description)
        }
        state[item.path] = Record(format: f.format, persona: f.persona, hash: hash(data))
        outcome.written.append(item.path)
      case .orphan, .editedOrphan:
        if unlink(item.path) != 0 && errno != ENOENT {
          try? writeState(state, paths)
          throw .writeFailed("\(item.path): cannot remove: \(String(cString: strerror(errno)))")
        }
        state[item.path] = nil
        outcome.removed.append(item.path)
      }
    }
    try writeState(state, paths)
    return outcome
  }

  /// A persona read back from its file (`--pull`), over the persona it was written from: what
  /// the format holds comes from the file; what it cannot hold (fallback models, tier settings,
  /// the preset and the bias profile while the prompt is unchanged) stays.
  public static func pull(
    _ text: String, of item: Item, config: Config, table: InteropTable
  ) throws(ConfigError) -> (persona: Persona, toolPreset: ToolPreset?, losses: [InteropLoss]) {
    guard let old = config.personas[item.persona] else {
      throw .invalid("\(item.path): persona \(TerminalSafe.quoted(item.persona)) is gone; nothing to pull into")
    }
    let format = item.target.format
    var read = try AgentImport.read(text, path: item.path, format: format, config: config, table: table)
    // What the file would say had it not been edited: a part equal to it was not edited, and
    // the persona keeps its own (a tool preset the format cannot tell apart from others).
    let written = AgentExport.file(old, as: format, config: config, table: table, nameStyle: item.target.nameStyle)
    let baseline = try AgentImport.read(written.text, path: item.path, format: format, config: config, table: table)
    var preset = read.toolPreset
    if read.persona.toolPresetID == baseline.persona.toolPresetID && read.toolPreset == baseline.toolPreset {
      read.persona.toolPresetID = old.toolPresetID
      preset = nil
    } else if var p = preset {
      p.name = config.toolPresets[old.name + " tools"] == nil ? old.name + " tools" : "\(old.name) tools (pulled)"
      read.persona.toolPresetID = p.name
      preset = p
    }
    if read.persona.preferredModels == baseline.persona.preferredModels { read.persona.preferredModels = [] }
    return (pulled(read.persona, over: old, config: config), preset, read.losses)
  }

  static func pulled(_ file: Persona, over old: Persona, config: Config) -> Persona {
    var p = old
    p.description = file.description
    let effective = AgentImport.trimmed(Resolver(config).resolve(persona: old.name).systemPrompt)
    if (file.systemPrompt ?? "") != effective {
      // The prompt was edited: it becomes the persona's own, whole (the preset's text and the
      // bias profile's strategy are in it as the file showed them).
      p.systemPrompt = file.systemPrompt
      p.systemPromptPresetID = nil
      p.biasProfileID = nil
    }
    if let first = file.preferredModels.first {
      if let i = p.preferredModels.firstIndex(where: { $0.model == first.model }) {
        var m = p.preferredModels[i]
        if first.temperature != nil { m.temperature = first.temperature }
        if first.topP != nil { m.topP = first.topP }
        p.preferredModels[i] = m
      } else {
        p.preferredModels.insert(first, at: 0)
      }
    }
    p.toolPresetID = file.toolPresetID
    if let kept = file.raw["interop"] { p.raw["interop"] = kept }
    return p
  }
}
