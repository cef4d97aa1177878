import FoundationEssentials
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The configuration of both scopes, as loaded from disk, with what each file held.
///
/// A `Workspace` is a value: change it, then `save` the files you changed. Every save is atomic,
/// keeps `FILE.bak`, keeps keys the program does not know, refuses a file that does not parse and
/// refuses a file that changed on disk since it was loaded.
public struct Workspace: Sendable {
  public let paths: ConfigPaths
  /// The files as last read or written.
  public private(set) var files: [ConfigFileID: LoadedFile] = [:]
  /// Per scope: the entries of each kind, in file order.
  public var scopes: [Scope: ScopeData] = [:]
  /// Problems found while reading (wrong types, unreadable files).
  public private(set) var readDiagnostics: [Diagnostic] = []

  /// A rehearsal writes nothing: a save goes through every check (the rules, the parse, the file
  /// unchanged on disk, the file read back) and then stops with `ConfigError.notWritten` instead of
  /// writing (`render`, `--dry-run`). No lock file is made either.
  public var rehearsal = false

  /// A preview writes nothing either, but goes on: each save's new bytes are kept here (per file:
  /// the bytes on disk before the first save, after the last) and stand for the file in memory,
  /// so that a change of several saves is seen whole (the app's diff before a save). Nil: saves
  /// write.
  public var previewed: [History.FileChange]?

  public init(paths: ConfigPaths) {
    self.paths = paths
  }

  /// From this many bytes of TOML on, the files are read on as many cores as there are.
  static let parallelLoadBytes = 256 << 10

  /// Reads every file of both scopes. Never throws: unreadable files are reported in
  /// `readDiagnostics` and are read-only.
  public static func load(_ paths: ConfigPaths) -> Workspace { load(paths, parallel: nil) }

  /// `parallel`: nil decides by the size of the files (the tests ask for either way).
  static func load(_ paths: ConfigPaths, parallel: Bool?) -> Workspace {
    // A change across files that a killed process committed is completed before anything is read.
    Journal.recover(paths.global)
    var ws = Workspace(paths: paths)
    var found: [(ConfigFileID, URL)] = []
    for scope in Scope.allCases {
      guard let dir = paths.directory(scope) else { continue }
      for kind in ConfigFileKind.allCases {
        found.append((.file(kind, scope), dir.appendingPathComponent(kind.fileName)))
      }
      let tracksDir = dir.appendingPathComponent("tracks")
      let names = ((try? FileManager.default.contentsOfDirectory(atPath: tracksDir.path)) ?? [])
        .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
      for fileName in names {
        found.append((.track(String(fileName.dropLast(5)), scope), tracksDir.appendingPathComponent(fileName)))
      }
    }
    let ids = found
    // Each file is read, parsed and decoded into its models on its own — on any thread — and the
    // results are put together in order. A configuration from 256 KB on is decoded on as many
    // cores as there are (with 1,000 personas, personas.toml on one core while the presets and
    // the tracks are decoded on the other: 16.3 → 13.8 ms to the first screen); a small one on
    // this thread (a worker thread costs more than it saves there).
    @Sendable func decode(_ i: Int) -> DecodedFile {
      let (id, url) = ids[i]
      var d = DecodedFile(file: LoadedFile.load(url))
      if let e = d.file.errorDiagnostic { d.diagnostics.append(e) }
      switch id {
      case .file(let kind, _):
        d.diagnostics += d.data.read(kind, from: d.file)
      case .track(let name, _):
        var reader = TableReader(d.file.root, path: [], file: d.file.source)
        d.data.tracks.append(Track.read(name: name, &reader))
        d.diagnostics += reader.diagnostics
      }
      return d
    }
    let bytes = ids.reduce(0) { total, id in
      var st = stat()
      return total + (stat(id.1.path, &st) == 0 ? Int(st.st_size) : 0)
    }
    let decoded: [DecodedFile]
    if parallel ?? (bytes >= Self.parallelLoadBytes) {
      let done = Mutex([DecodedFile?](repeating: nil, count: ids.count))
      // At most 4 threads: one file is most of the work, the rest are small, and on a server of
      // many cores each thread would bring a malloc arena of its own for a file of a few KB.
      performConcurrently(ids.count, threads: 4) { i in
        let d = decode(i)
        done.withLock { $0[i] = d }
      }
      decoded = done.withLock { $0 }.map { $0! }
    } else {
      decoded = ids.indices.map(decode)
    }
    for scope in Scope.allCases {
      guard paths.directory(scope) != nil else { continue }
      var data = ScopeData()
      for (i, (id, _)) in ids.enumerated() where id.scope == scope {
        ws.files[id] = decoded[i].file
        ws.readDiagnostics += decoded[i].diagnostics
        data.absorb(decoded[i].data)
      }
      ws.scopes[scope] = data
    }
    return ws
  }

  /// Reads again from disk (after an outside change, or to drop unsaved changes).
  public func reloaded() -> Workspace {
    var ws = Workspace.load(paths)
    ws.rehearsal = rehearsal
    return ws
  }

  public func file(_ id: ConfigFileID) -> LoadedFile? { files[id] }

  /// The URL of a file of a scope (whether or not it exists).
  public func url(_ id: ConfigFileID) -> URL? {
    switch id {
    case .file(let kind, let scope):
      return paths.directory(scope)?.appendingPathComponent(kind.fileName)
    case .track(let name, let scope):
      return paths.directory(scope)?.appendingPathComponent("tracks/\(name).toml")
    }
  }

  /// The merged view: project entries replace global ones of the same name.
  public var config: Config { Config(self) }

  // MARK: Saving

  /// Checks that each file may be written: it parses, and nobody changed it on disk since it
  /// was loaded. Saves that touch several files call this for all of them before writing any.
  public func checkWritable(_ ids: [ConfigFileID]) throws(ConfigError) {
    for id in ids {
      guard let url = url(id) else { throw .noProjectDir }
      let loaded = files[id] ?? LoadedFile(url: url)
      if !loaded.isWritable {
        throw .readOnly(
          path: url.path,
          reason: loaded.errorDiagnostic.map { "\($0.line.map { "line \($0)" } ?? ""): \($0.message)" } ?? "")
      }
      let onDisk = try? Data(contentsOf: url)
      // (A preview's later save: the file as the preview's first save of it found it.)
      let expected = previewed?.first { $0.path == url.path }.map { $0.before.map { Data($0.utf8) } } ?? loaded.data
      if onDisk != expected { throw .changedOnDisk(path: url.path) }
      // A file its owner may not write (0444): the user's choice, kept (a process running as root
      // could write it anyway).
      var st = stat()
      if stat(url.path, &st) == 0 && (st.st_mode & 0o200 == 0 || access(url.path, W_OK) != 0) {
        throw .notWritable(path: url.path, mode: "0" + String(st.st_mode & 0o777, radix: 8))
      }
    }
  }

  /// Writes the given files from the current entries. All are checked before any is written.
  /// `summary`: the change as the history lists it (`History`); nil records nothing (the
  /// conductor's status saves).
  public mutating func save(_ ids: [ConfigFileID], summary: String? = nil) throws(ConfigError) {
    let unique = ids.reduce(into: [ConfigFileID]()) { if !$0.contains($1) { $0.append($1) } }
    // A change a killed process committed is completed first (a save would otherwise remove its
    // temporary files as stale); the files it changes then differ from what was loaded, and the
    // checks below say so.
    let writes = !rehearsal && previewed == nil
    if writes { Journal.recover(paths.global) }
    // An advisory lock per folder (global first, then project) makes "unchanged on disk? then
    // write" one step for every Dramatis process: two instances never interleave their saves.
    let dirs = Scope.allCases.filter { s in unique.contains { $0.scope == s } }.compactMap { paths.directory($0) }
    var locks: [FolderLock] = []
    defer { locks.forEach { $0.release() } }
    if writes {
      for dir in dirs { locks.append(try FolderLock.acquire(dir)) }
    }
    try checkWritable(unique)
    // Every file is made and read back before any is written: a file that would not load (a
    // value imported or typed nested deeper than a file may hold) is refused, and with it the
    // whole change. The parse is the one the written file is kept with.
    var made: [(id: ConfigFileID, url: URL, loaded: LoadedFile, data: Data, parsed: ParsedTOML)] = []
    for id in unique {
      let url = url(id)!
      let loaded = files[id] ?? LoadedFile(url: url)
      let root = render(id, over: loaded.root)
      if root == loaded.root && loaded.exists { continue }
      // Only the bytes of what changed (the user's comments and layout stay), read back as the
      // new values by the edit itself; the file written whole where the change cannot be placed
      // so (`TOMLEditor`).
      if let old = loaded.data,
        let edited = TOMLEditor.edited(old, from: loaded.root, to: root, layout: loaded.parsed?.layout)
      {
        if edited.data != old { made.append((id, url, loaded, edited.data, edited.parsed)) }
        continue
      }
      let data = Data((Self.leadingComments(loaded.data) + TOMLWriter.write(root)).utf8)
      if data == loaded.data { continue }
      do {
        made.append((id, url, loaded, data, try TOMLParser.parse(data)))
      } catch {
        throw .wouldNotLoad(path: url.path, reason: "line \(error.line), column \(error.column): \(error.message)")
      }
    }
    if rehearsal && !made.isEmpty { throw .notWritten(paths: made.map(\.url.path)) }
    if previewed != nil {
      for m in made {
        let after = String(decoding: m.data, as: UTF8.self)
        if let i = previewed!.firstIndex(where: { $0.path == m.url.path }) {
          previewed![i].after = after
        } else {
          previewed!.append(
            History.FileChange(
              path: m.url.path, before: m.loaded.data.map { String(decoding: $0, as: UTF8.self) }, after: after))
        }
      }
    } else if made.count == 1 {
      do {
        try AtomicFile.write(made[0].data, to: made[0].url, previous: made[0].loaded.data)
      } catch {
        throw .writeFailed(error.description)
      }
    } else if made.count > 1 {
      // Several files: all or nothing (`Journal`).
      try Journal.commit(made.map { ($0.data, $0.url, $0.loaded.data) }, journalIn: paths.global)
    }
    if let summary, !made.isEmpty, previewed == nil {
      History.record(
        summary,
        files: made.map {
          History.FileChange(
            path: $0.url.path, before: $0.loaded.data.map { String(decoding: $0, as: UTF8.self) },
            after: String(decoding: $0.data, as: UTF8.self))
        }, paths: paths)
    }
    for m in made {
      var written = LoadedFile(url: m.url)
      written.data = m.data
      written.parsed = m.parsed
      files[m.id] = written
    }
  }

  /// The file's new root table: the entries of its scope written over what the file held.
  func render(_ id: ConfigFileID, over old: TOMLDict) -> TOMLDict {
    let data = scopes[id.scope] ?? ScopeData()
    switch id {
    case .track(let name, _):
      let track = data.tracks.first { $0.name == name } ?? Track(name: name)
      return track.write(onto: old)
    case .file(let kind, _):
      switch kind {
      case .personas: return Self.collection(old, "personas", data.personas.map { ($0.name, $0.table) })
      case .presets: return Self.collection(old, "presets", data.presets.map { ($0.name, $0.table) })
      case .toolPresets: return Self.collection(old, "tool_presets", data.toolPresets.map { ($0.name, $0.table) })
      case .biasProfiles: return Self.collection(old, "bias_profiles", data.biasProfiles.map { ($0.name, $0.table) })
      case .tools: return Self.collection(old, "tools", data.tools.map { ($0.name, $0.table) })
      case .models: return old  // the model catalog is edited by hand only
      case .mma: return (data.mma ?? MMAConfig()).write(onto: old)
      case .aiSettings: return (data.aiSettings ?? AISettings()).write(onto: old)
      }
    }
  }

  /// A collection table rebuilt from its entries, in their order; values under it that are not
  /// tables (reported as errors when read) are kept rather than lost.
  static func collection(_ root: TOMLDict, _ key: String, _ entries: [(String, TOMLDict)]) -> TOMLDict {
    var out = root
    var table = TOMLDict()
    for (name, t) in entries { table[name] = .table(t) }
    for (name, value) in root[key]?.tableValue?.entries ?? [] where value.tableValue == nil && table[name] == nil {
      table[name] = value
    }
    out[key] = .table(table)
    return out
  }

  /// The comment lines at the top of a file (before its first key or table), which a save keeps.
  /// Comments elsewhere are not kept: the file is written from its values.
  ///
  /// Lines end at LF, a CR before it dropped: splitting the text at the character "\n" found no
  /// line in a CRLF file (CR LF is one character), which then came back whole as its "comment" and
  /// was written before the new content — every entry twice, a file that no longer parsed. Only
  /// the lines up to the first key or table are read (splitting the whole text took 200 M
  /// instructions for a 0.5 MB file, half of a save).
  static func leadingComments(_ data: Data?) -> String {
    guard let data else { return "" }
    var out = ""
    var start = data.startIndex
    while start < data.endIndex {
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      var bytes = data[start..<end]
      if bytes.last == 0x0D { bytes = bytes.dropLast() }
      let line = String(decoding: bytes, as: UTF8.self)
      let trimmed = line.trimmingSpaces
      if trimmed.hasPrefix("#") {
        out += trimmed + "\n"
      } else if !trimmed.isEmpty {
        break
      }
      start = end < data.endIndex ? data.index(after: end) : data.endIndex
    }
    return out.isEmpty ? "" : out + "\n"
  }

  // MARK: First use

  /// Fills a config dir that does not exist yet (or holds no TOML file) with the shipped defaults
  /// (`files`: each one's path inside the dir and its bytes), each file written atomically.
  /// Returns true when it wrote them.
  @discardableResult
  public static func bootstrap(_ dir: URL, files: [(path: String, bytes: [UInt8])]) throws(AtomicFile.WriteError)
    -> Bool
  {
    let fm = FileManager.default
    if fm.fileExists(atPath: dir.path) {
      let present = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
      if present.contains(where: { $0.hasSuffix(".toml") || $0 == "tracks" }) { return false }
    }
    for (path, bytes) in files {
      let target = dir.appendingPathComponent(path)
      if !fm.fileExists(atPath: target.path) {
        try AtomicFile.write(Data(bytes), to: target, previous: nil)
      }
    }
    return true
  }
}

/// One file as the loader decoded it: the file, its entries, its problems.
struct DecodedFile: Sendable {
  var file: LoadedFile
  var data = ScopeData()
  var diagnostics: [Diagnostic] = []
}

/// The entries of one scope.
public struct ScopeData: Sendable {
  public var personas: [Persona] = []
  public var presets: [SystemPromptPreset] = []
  public var toolPresets: [ToolPreset] = []
  public var biasProfiles: [BiasProfile] = []
  public var tools: [ToolDefinition] = []
  public var providers: [Provider] = []
  public var mma: MMAConfig?
  public var aiSettings: AISettings?
  public var tracks: [Track] = []

  public init() {}

  /// Adds the entries of another (the loader decodes each file into a scope of its own, then puts
  /// them together in file order; each file fills its own part).
  mutating func absorb(_ other: ScopeData) {
    personas += other.personas
    presets += other.presets
    toolPresets += other.toolPresets
    biasProfiles += other.biasProfiles
    tools += other.tools
    providers += other.providers
    if let m = other.mma { mma = m }
    if let a = other.aiSettings { aiSettings = a }
    tracks += other.tracks
  }

  /// Decodes one file into this scope; returns the problems found.
  mutating func read(_ kind: ConfigFileKind, from file: LoadedFile) -> [Diagnostic] {
    let source = file.source
    let root = TableReader(file.root, path: [], file: source)
    var diagnostics: [Diagnostic] = []
    func each<T>(_ key: String, _ make: (String, inout TableReader) -> T) -> [T] {
      var reader = root
      reader.warnUnknownKeys([key])
      guard let table = reader.table(key) else {
        diagnostics += reader.diagnostics
        return []
      }
      diagnostics += reader.diagnostics
      var out: [T] = []
      for (name, node) in table.entries {
        let path: [PathSegment] = [.key(key), .key(name)]
        guard case .table(let t) = node else {
          diagnostics.append(source.diagnostic(path, "expected a table, found \(node.typeName)"))
          continue
        }
        var r = TableReader(t, path: path, file: source)
        out.append(make(name, &r))
        diagnostics += r.diagnostics
      }
      return out
    }
    switch kind {
    case .personas: personas = each("personas", Persona.read)
    case .presets: presets = each("presets", SystemPromptPreset.read)
    case .toolPresets: toolPresets = each("tool_presets", ToolPreset.read)
    case .biasProfiles: biasProfiles = each("bias_profiles", BiasProfile.read)
    case .tools: tools = each("tools", ToolDefinition.read)
    case .models: providers = each("providers", Provider.read)
    case .mma:
      guard file.exists else { return [] }
      var r = root
      mma = MMAConfig.read(&r)
      diagnostics += r.diagnostics
    case .aiSettings:
      guard file.exists else { return [] }
      var r = root
      aiSettings = AISettings.read(&r)
      diagnostics += r.diagnostics
    }
    return diagnostics
  }
}

/// `flock` on `.dramatis.lock` in a config folder, held while a save checks and writes.
struct FolderLock {
  let fd: Int32

  /// Takes the folder's lock, waiting for another writer to release it. A lock that cannot be
  /// opened or taken refuses the save: without it two writers could interleave.
  static func acquire(_ dir: URL) throws(ConfigError) -> FolderLock {
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(".dramatis.lock").path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .lockUnavailable(path: path, reason: String(cString: strerror(errno))) }
    var r = flock(fd, LOCK_EX)
    while r != 0 && errno == EINTR { r = flock(fd, LOCK_EX) }
    if r != 0 {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw .lockUnavailable(path: path, reason: reason)
    }
    return FolderLock(fd: fd)
  }

  func release() {
    flock(fd, LOCK_UN)
    close(fd)
  }
}
