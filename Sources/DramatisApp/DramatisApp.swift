import FoundationEssentials
import PersonaKit
import Synchronization
import TermUI

#if canImport(Glibc)
  import Glibc
#endif

/// A dry run started from the dashboard: it runs on its own task; the app reads its progress on
/// every tick.
final class RunProgress: Sendable {
  struct State {
    var lines: [String] = []
    var finished: String?
    var version = 0
  }

  let state = Mutex(State())
  func add(_ line: String) {
    state.withLock {
      $0.lines.append(line)
      $0.version += 1
    }
  }
  func finish(_ summary: String) {
    state.withLock {
      $0.finished = summary
      $0.version += 1
    }
  }
}

/// The application: the screens over one `PersonaManager`, the status line, the help overlay, and
/// file watching (a file changed on disk is picked up within a second: lists refresh and bound
/// fields follow).
public struct DramatisApp: TerminalApp {
  public enum Screen: String, Sendable {
    case aiSettings = "AI Settings"
    case mma = "MMA Dashboard"
    case tickets = "Tickets"
  }

  public internal(set) var manager: PersonaManager
  public var screen: Screen = .aiSettings
  public var ai = AISettingsScreen()
  public var mma = MMADashboard()
  public var tickets = TicketEditor()
  /// The floating Persona Editor, when open (over any screen).
  var editor: PersonaEditor?
  public var message = ""
  var helpOpen = false
  /// The history of changes (F6), when open.
  var history: HistoryOverlay?
  /// A draft left by a previous run ended by a signal: offered until restored or discarded.
  var pendingDraft: SavedDraft?
  /// The same for the ticket form (offered after the persona draft, if both are there).
  var pendingTicketDraft: TicketDraft?
  /// And for a number typed in AI Settings (offered last).
  var pendingNumberDraft: AINumberDraft?
  /// Ctrl-Q with unsaved changes: waiting for y / n.
  var confirmQuit = false
  var helpScroll = 0
  var stamps: [String: FileStamp] = [:]
  /// A save refused because its target changed on disk: reload / diff / keep mine.
  var conflict: SaveConflict?
  /// F7: every save shows what it changes in the files first (off until asked for).
  var diffBeforeSave = false
  /// A save waiting for Enter under its preview (F7), with what carries it out.
  var savePreview: (view: SavePreview, then: PendingSave)?
  /// The terminal's height at the last frame (the preview's window scrolls by it).
  var lastHeight = 24
  /// Each screen's view on a terminal smaller than its layout (it follows the focus).
  var viewports: [Screen: Viewport] = [:]
  var editorViewport = Viewport()
  /// The smallest area each screen is laid out for; below it the view follows the focus.
  static let minimumSize: [Screen: (width: Int, height: Int)] = [
    .aiSettings: (40, 12), .mma: (64, 16), .tickets: (64, 14),
  ]
  static let editorMinimumSize = (width: 56, height: 16)
  var run: RunProgress?
  var runSeen = 0
  /// The full validation of the configuration has yet to run (see `init`).
  var validationPending = true
  var lastLogStamp: FileStamp?
  /// The manager generation `stamps` was taken at: after our own save the stamps are taken again
  /// (so that the watcher does not take our write for an outside change) — once, not every key.
  var stampedGeneration = 0
  /// The screen below the Persona Editor, drawn once while the editor is open: the editor's keys
  /// change only the editor.
  var below: (key: BelowKey, buffer: Buffer)?
  /// Changes whenever something could change what the screen below the editor shows.
  var belowVersion = 0

  struct BelowKey: Equatable {
    var screen: Screen
    var width: Int
    var height: Int
    var theme: String
    var generation: Int
    var version: Int
    var message: String
  }

  public init(workspace: Workspace) {
    manager = PersonaManager(workspace)
    shownDir = Self.abbreviatingHome(workspace.paths.global.path, home: Self.home)
    stamps = Self.stamps(workspace)
    stampedGeneration = manager.generation
    pendingDraft = SavedDraft.read(workspace.paths)
    pendingTicketDraft = TicketDraft.read(workspace.paths)
    pendingNumberDraft = AINumberDraft.read(workspace.paths)
    // A file that does not parse is known now; the full validation (references, ranges, cycles:
    // 60 ms with 10,000 personas) runs right after the first frame is on the screen (the first
    // tick comes at once), on this thread: keys typed meanwhile wait in the terminal.
    if let problem = workspace.readDiagnostics.first {
      message = problem.description
      validationPending = false
    }
  }

  public var config: Config { manager.config }

  /// The global configuration directory as the status line shows it (with `~`); the paths do not
  /// change while the app runs.
  let shownDir: String

  /// $HOME, shown as `~` in the status line (read once: the environment is copied on every read).
  static let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ""

  /// `path` with a leading `home` written `~` (`/home/ann/x` → `~/x`), only where the home
  /// directory ends: `/home/anna` stays whole for a home of `/home/ann`.
  static func abbreviatingHome(_ path: String, home: String) -> String {
    let home = home.count > 1 && home.hasSuffix("/") ? String(home.dropLast()) : home
    guard !home.isEmpty, home != "/", path.hasPrefix(home) else { return path }
    let rest = path.dropFirst(home.count)
    return rest.isEmpty || rest.hasPrefix("/") ? "~" + rest : path
  }

  public var tickInterval: Int? { validationPending ? 0 : 500 }

  // MARK: Keys

  public mutating func handle(_ key: Key) -> AppCommand {
    if editor == nil { belowVersion &+= 1 }
    let command = handleKey(key)
    if manager.generation != stampedGeneration {
      stamps = Self.stamps(manager.workspace)
      stampedGeneration = manager.generation
    }
    return command
  }

  mutating func handleKey(_ key: Key) -> AppCommand {
    if case .resize = key { return .none }
    if helpOpen {
      if HelpOverlay.handle(key, scroll: &helpScroll) { helpOpen = false }
      return .none
    }
    if var h = history {
      switch h.handle(key) {
      case .stay: history = h
      case .close: history = nil
      case .undo(let n):
        history = nil
        if manager.workspace.rehearsal {
          message = "change \(n) not undone: no file is written here"
        } else {
          do {
            let e = try History.undo(n, paths: manager.workspace.paths)
            manager.reload()
            message = "undid change \(n): \(e.summary)"
          } catch {
            message = error.description
          }
        }
      }
      return .none
    }
    // A draft window at start: r / Enter restores, d discards (the file goes either way), C-q quits.
    if pendingDraft != nil || pendingTicketDraft != nil || pendingNumberDraft != nil {
      let restore = key == .char("r") || key == .enter
      guard restore || key == .char("d") else { return key == .ctrl("q") ? .quit : .none }
      // The offered draft's file goes either way; d stops here.
      let paths = manager.workspace.paths
      if manager.workspace.rehearsal {
        // (`render`: no file is written or removed; the draft stays on disk.)
      } else if pendingDraft != nil {
        SavedDraft.discard(paths)
      } else if pendingTicketDraft != nil {
        TicketDraft.discard(paths)
      } else {
        AINumberDraft.discard(paths)
      }
      if !restore { message = "draft discarded" }
      if let d = pendingDraft {
        pendingDraft = nil
        guard restore else { return .none }
        var e = PersonaEditor(config: config, select: d.original)
        e.restore(d, config: config)
        editor = e
        message = "draft restored into the editor: Ctrl-S saves it"
      } else if let d = pendingTicketDraft {
        pendingTicketDraft = nil
        guard restore else { return .none }
        if tickets.restore(d, config: config) {
          screen = .tickets
          message = "draft restored into ticket \(d.ticket.id): Ctrl-S saves it"
        } else {
          message = "draft of ticket \(d.ticket.id) not restored: track \(d.track) or the ticket is gone"
        }
      } else if let d = pendingNumberDraft {
        pendingNumberDraft = nil
        guard restore else { return .none }
        screen = .aiSettings
        ai.restore(d, config: config)
        message = "draft restored into \(d.label): Enter sets it"
      }
      return .none
    }
    if conflict != nil {
      handleConflict(key)
      return .none
    }
    if key == .function(7) || key == .alt("7") {
      diffBeforeSave.toggle()
      editor?.previewSaves = diffBeforeSave
      message =
        diffBeforeSave
        ? "diff before save: on (a save shows what it changes in the files first; F7 turns it off)"
        : "diff before save: off"
      return .none
    }
    if var p = savePreview {
      switch p.view.handle(key, room: previewRoom) {
      case .stay: savePreview = p
      case .back:
        savePreview = nil
        message = "not saved (your edit is kept)"
      case .save:
        savePreview = nil
        carryOut(p.then)
      }
      return .none
    }
    if confirmQuit {
      confirmQuit = false
      if key == .char("y") || key == .ctrl("q") { return .quit }
      message = "not quit"
      return .none
    }
    if key == .ctrl("q") {
      if let what = unsaved {
        confirmQuit = true
        message = "unsaved changes in \(what): quit anyway? y / n"
        return .none
      }
      return .quit
    }
    if key == .ctrl("z") { return .suspend }
    if editor != nil && key == .function(1) {
      helpOpen = true
      helpScroll = 0
      return .none
    }
    if var e = editor {
      editor = nil  // e is the only copy: its arrays change in place
      let outcome = e.handle(key, manager: &manager)
      editor = outcome.close ? nil : e
      if let m = outcome.message { message = m }
      if let file = outcome.editFile { return .edit(file: file) }
      return .none
    }
    let modal: Bool
    switch screen {
    case .aiSettings: modal = ai.isModal
    case .mma: modal = mma.isModal
    case .tickets: modal = tickets.isModal
    }
    if !modal && (key == .function(5) || key == .ctrl("p")) {
      editor = PersonaEditor(config: config, select: config.aiSettings.personaID)
      editor?.previewSaves = diffBeforeSave
      return .none
    }
    if !modal && (key == .function(6) || key == .alt("6")) {
      history = HistoryOverlay(paths: manager.workspace.paths)
      return .none
    }
    if !modal && (key == .function(1) || (key == .char("?") && !isTextFocus)) {
      helpOpen = true
      helpScroll = 0
      return .none
    }
    // F2 / F3 / F4, or Alt-2 / Alt-3 / Alt-4 where a terminal swallows F-keys.
    if !modal && (key == .function(2) || key == .alt("2")) {
      screen = .aiSettings
      return .none
    }
    if !modal && (key == .function(3) || key == .alt("3")) {
      screen = .mma
      return .none
    }
    if !modal && (key == .function(4) || key == .alt("4")) {
      screen = .tickets
      return .none
    }
    if screen == .tickets {
      // The ticket as the form loaded it: what a save replaces (written out only for a save).
      let loaded = tickets.original
      let (track, note) = tickets.handle(key, config: config)
      if let track, let ticket = track.tickets.first(where: { $0.id == tickets.editingID }) {
        let change = SaveConflict.Mine.ticket(track: track.name, ticket)
        save(change, base: SaveConflict.lines(loaded), saved: note ?? "")
        return .none
      }
      if let note { message = note }
      return .none
    }
    if screen == .mma {
      let (assign, note) = mma.handle(key, config: config)
      if let track = mma.dryRunRequest {
        mma.dryRunRequest = nil
        startDryRun(track)
        return .none
      }
      if let (tier, persona, base) = assign {
        let scope: Scope = manager.workspace.scopes[.project]?.mma?.persona(forTier: tier) != nil ? .project : .global
        let change = SaveConflict.Mine.tier(tier, persona: persona, scope: scope)
        save(
          change, base: SaveConflict.lines(tier: tier, base),
          saved: "tier \(tier): \(persona ?? "(none)") saved to mma.toml")
      } else if let note {
        message = note
      }
      return .none
    }
    let panel = config.aiSettings
    let (settings, note, persona) = ai.handle(key, config: config, generation: manager.generation)
    let typed = ai.committed
    ai.committed = nil
    let change: SaveConflict.Mine? =
      if let settings, settings != config.aiSettings {
        // A typed number replaces the value shown when typing began; any other edit, the panel as
        // it was at this key.
        if let (field, value, _) = typed { .aiField(field, value) } else { .aiSettings(settings) }
      } else { nil }
    let base =
      if let (field, _, base) = typed { SaveConflict.lines(field, base) } else { SaveConflict.lines(panel) }
    let done = note ?? "saved \(manager.workspace.paths.global.lastPathComponent)/ai_settings.toml"
    if let persona {
      // "Save to persona": the persona, then the panel it no longer overrides — one save to see.
      let pending = PendingSave.toPersona(persona, then: change.map { ($0, base) }, saved: done)
      if !previewFirst(pending) { carryOut(pending) }
    } else if let change {
      save(change, base: base, saved: done)
    } else if let note {
      message = note
    }
    return .none
  }

  // MARK: Saving, with the diff first when asked for (F7)

  /// A save the app carries out (after its preview, when F7 is on).
  enum PendingSave {
    /// A ticket, a tier or the AI Settings panel (`save(_:base:saved:)`, with its conflict check).
    case mine(SaveConflict.Mine, base: [String], saved: String)
    /// AI Settings' "Save to persona": the persona, then the panel.
    case toPersona(Persona, then: (SaveConflict.Mine, base: [String])?, saved: String)
  }

  /// The rows a preview's window has.
  var previewRoom: Int { max(6, lastHeight - 8) }

  /// With F7 on, shows what `pending` would write and keeps it for Enter: true when shown (or
  /// refused, with the reason in the message), false when the save should go on now.
  mutating func previewFirst(_ pending: PendingSave) -> Bool {
    guard diffBeforeSave else { return false }
    let preview = SavePreview.of(manager) { (m: inout PersonaManager) throws(ConfigError) in
      switch pending {
      case .mine(let mine, _, _): try Self.write(mine, into: &m)
      case .toPersona(let persona, let then, _):
        try m.update(persona, .persona)
        if let (mine, _) = then { try Self.write(mine, into: &m) }
      }
    }
    switch preview {
    case .failure(let refusal):
      message = refusal.message
    case .success(let view):
      savePreview = (view, pending)
      message = "Enter saves these changes, Esc goes back"
    }
    return true
  }

  mutating func carryOut(_ pending: PendingSave) {
    switch pending {
    case .mine(let mine, let base, let saved):
      save(mine, base: base, saved: saved, confirmed: true)
    case .toPersona(let persona, let then, let saved):
      do {
        try manager.update(persona, .persona)
      } catch {
        message = error.description
        return
      }
      if let (mine, base) = then, !save(mine, base: base, confirmed: true) { return }
      message = saved
    }
  }

  // MARK: File watching

  /// What tells that a file changed: size, modification time (ns) and inode (an atomic save
  /// replaces the inode). Read with one stat(2) — FileManager's attributes also look up the
  /// owner's and group's names in /etc/passwd and /etc/group, on every tick.
  struct FileStamp: Equatable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int
    var inode: UInt64

    static func of(_ path: String) -> FileStamp? {
      var st = stat()
      guard stat(path, &st) == 0 else { return nil }
      return FileStamp(
        size: Int(st.st_size), seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec),
        inode: UInt64(st.st_ino))
    }
  }

  func logStamp() -> FileStamp? {
    guard let t = mma.selectedTrack(config) else { return nil }
    let scope = config.tracks.scoped(t.name)?.scope ?? .global
    let dir = manager.workspace.paths.directory(scope) ?? manager.workspace.paths.global
    let path = dir.appendingPathComponent("logs/\(t.name)/tier\(mma.logTier).jsonl").path
    return FileStamp.of(path)
  }

  static func stamps(_ ws: Workspace) -> [String: FileStamp] {
    var out: [String: FileStamp] = [:]
    for scope in Scope.allCases {
      guard let dir = ws.paths.directory(scope) else { continue }
      // Paths joined as strings: this runs twice a second, and building URLs was most of its work.
      let base = dir.path.hasSuffix("/") ? dir.path : dir.path + "/"
      var paths = ConfigFileKind.allCases.map { base + $0.fileName }
      let tracks = base + "tracks/"
      for name in (try? FileManager.default.contentsOfDirectory(atPath: tracks)) ?? [] where name.hasSuffix(".toml") {
        paths.append(tracks + name)
      }
      for p in paths {
        if let stamp = FileStamp.of(p) { out[p] = stamp }
      }
    }
    return out
  }

  /// Every half second: a config file that changed on disk is reloaded (the screens follow).
  public mutating func tick() -> Bool {
    var validated = false
    if validationPending {
      validationPending = false
      if let problem = Validator.validate(manager.workspace).first(where: { $0.severity == .error }), message.isEmpty {
        message = problem.description
        validated = true
      }
    }
    let filesChanged = tickFiles() || validated  // first: the run's progress message wins over "reloaded …"
    var runChanged = false
    if let r = run {
      let st = r.state.withLock { $0 }
      if st.version != runSeen {
        runSeen = st.version
        runChanged = true
        message =
          st.finished ?? st.lines.last.map { "running: " + $0.replacing("  ", with: " ") } ?? message
        if st.finished != nil { run = nil }
      }
    }
    if filesChanged || runChanged { belowVersion &+= 1 }
    return filesChanged || runChanged
  }

  mutating func tickFiles() -> Bool {
    let now = Self.stamps(manager.workspace)
    // The dashboard's stream log follows new lines while it is shown.
    let log = screen == .mma ? logStamp() : nil
    let logChanged = log != lastLogStamp
    lastLogStamp = log
    guard now != stamps else { return logChanged }
    let changed = Set(now.keys).union(stamps.keys).filter { now[$0] != stamps[$0] }.map {
      URL(fileURLWithPath: $0).lastPathComponent
    }.sorted()
    stamps = now
    manager.reload()
    stampedGeneration = manager.generation
    message = "reloaded \(changed.joined(separator: ", ")) (changed on disk)"
    if let problem = manager.workspace.readDiagnostics.first { message = problem.description }
    return true
  }

  // MARK: Drawing

  public mutating func draw(into buffer: inout Buffer, theme: Theme) {
    if editor != nil {
      let key = BelowKey(
        screen: screen, width: buffer.width, height: buffer.height, theme: theme.name,
        generation: manager.generation, version: belowVersion, message: message)
      if let b = below, b.key == key {
        buffer = b.buffer
      } else {
        // The screen under the editor, dimmed and without the focus, kept for the next frames.
        drawScreen(into: &buffer, theme: theme)
        buffer.dim(theme)
        buffer.focus = nil
        below = (key, buffer)
      }
    } else {
      below = nil
      drawScreen(into: &buffer, theme: theme)
    }
    drawOverlays(into: &buffer, theme: theme)
  }

  /// The current screen and the status line.
  mutating func drawScreen(into buffer: inout Buffer, theme: Theme) {
    let c = config
    // A file that does not parse: a line on every screen names it and its place, above the screen
    // (its entries are missing from what the screen shows, and it is read-only until fixed).
    let broken = c.unparsedFiles
    let parts = Layout.split(buffer.area, .rows, [.fixed(broken.isEmpty ? 0 : 1), .fill(), .fixed(1)])
    if let first = broken.first {
      let more = broken.count > 1 ? " (+\(broken.count - 1) more file\(broken.count > 2 ? "s" : ""))" : ""
      buffer.fill(parts[0], with: Cell(" ", style: theme.error))
      Label.draw(
        " ⚠ \(Self.shortPath(first.file)):\(first.line ?? 0):\(first.column ?? 0) does not parse, read-only until "
          + "fixed\(more): \(first.message)",
        into: &buffer, area: parts[0], style: theme.error)
    }
    let minimum = Self.minimumSize[screen]!
    var view = viewports[screen] ?? Viewport()
    view.draw(into: &buffer, area: parts[1], minWidth: minimum.width, minHeight: minimum.height, theme: theme) {
      buffer, area in
      switch screen {
      case .aiSettings: ai.draw(into: &buffer, area: area, config: c, theme: theme, generation: manager.generation)
      case .mma: mma.draw(into: &buffer, area: area, workspace: manager.workspace, config: c, theme: theme)
      case .tickets: tickets.draw(into: &buffer, area: area, config: c, theme: theme)
      }
    }
    viewports[screen] = view
    let dir = shownDir
    let more = view.more.isEmpty ? "" : " " + view.more
    StatusBar.draw(
      left: " \(screen.rawValue)\(more) │ \(dir)", right: (message.isEmpty ? "F1 help  C-q quit" : message) + " ",
      into: &buffer, area: parts[2], theme: theme)
  }

  /// A config file's path as the banner names it: `personas.toml`, `tracks/auth.toml`, with
  /// `project ` before a project file.
  static func shortPath(_ path: String) -> String {
    let parts = path.split(separator: "/")
    let name = parts.suffix(parts.dropLast().last == "tracks" ? 2 : 1).joined(separator: "/")
    return path.contains("/.dramatis/") ? "project " + name : name
  }

  /// The Persona Editor, the draft offer and the help, over the screen.
  mutating func drawOverlays(into buffer: inout Buffer, theme: Theme) {
    if editor != nil {
      let c = config
      let (w, h) = Self.editorMinimumSize
      // On a terminal smaller than the editor's layout, the view follows the focus and the
      // status line (dimmed below) says where more is.
      let small = buffer.width < w || buffer.height < h
      let area = small ? buffer.area.inset(bottom: 1) : buffer.area
      editorViewport.draw(into: &buffer, area: area, minWidth: w, minHeight: h, theme: theme) { buffer, area in
        editor!.draw(into: &buffer, screen: area, config: c, theme: theme, dimBelow: false)
      }
      if small {
        let more = editorViewport.more.isEmpty ? "" : " " + editorViewport.more
        StatusBar.draw(
          left: " Persona Editor\(more)", right: (message.isEmpty ? "F1 help  Esc close" : message) + " ",
          into: &buffer, area: buffer.area.row(buffer.height - 1), theme: theme)
      }
    }
    lastHeight = buffer.height
    if let p = savePreview {
      FloatingWindow.drawMessage(
        p.view.lines(room: previewRoom), title: SavePreview.title, into: &buffer, screen: buffer.area, theme: theme)
    }
    if let c = conflict {
      FloatingWindow.drawMessage(
        c.lines(room: buffer.height - 10), title: "Changed on disk", into: &buffer, screen: buffer.area, theme: theme)
    }
    if let lines = draftOffer {
      FloatingWindow.drawMessage(lines, title: "Draft found", into: &buffer, screen: buffer.area, theme: theme)
    }
    if let h = history {
      FloatingWindow.drawMessage(
        h.lines(room: buffer.height - 4), title: "History of changes", into: &buffer, screen: buffer.area,
        theme: theme)
    }
    if helpOpen {
      let maps =
        editor != nil
        ? [Self.keyMap, PersonaEditor.keyMap, ListView.keyMap, TextField.keyMap, TextArea.keyMap, Dropdown.keyMap]
        : screen == .mma
          ? [Self.keyMap, MMADashboard.keyMap, Dropdown.keyMap, ListView.keyMap]
          : screen == .tickets
            ? [Self.keyMap, TicketEditor.keyMap, Dropdown.keyMap, TextField.keyMap, TextArea.keyMap]
            : [Self.keyMap, AISettingsScreen.keyMap, Dropdown.keyMap, NumberField.keyMap]
      HelpOverlay.draw(
        maps, into: &buffer,
        screen: buffer.area, theme: theme, scroll: &helpScroll)
    }
  }

  /// The text of the draft window at start (the persona draft first), or nil.
  var draftOffer: [String]? {
    let (what, place, into): (String, String, String)
    if let d = pendingDraft {
      (what, place, into) = ("persona \(d.original ?? d.persona.name)", d.savedAt, "the Persona Editor")
    } else if let d = pendingTicketDraft {
      (what, place, into) = ("ticket \(d.ticket.id) of track \(d.track)", d.savedAt, "the ticket form")
    } else if let d = pendingNumberDraft {
      (what, place, into) = ("the \(d.label) (\"\(d.text)\") in AI Settings", d.savedAt, "its field")
    } else {
      return nil
    }
    return [
      "Unsaved changes to \(what)", "were kept when Dramatis was ended at \(place)", "(a lost connection or a kill).",
      "",
      "r: restore them into \(into) (nothing is saved until you save)", "d: discard them",
    ]
  }

  /// Runs the track with the dry-run runner on a task of its own; `tick` shows its progress.
  mutating func startDryRun(_ track: String) {
    if manager.workspace.rehearsal {
      message = "dry run of \(track) not started: no file is written here (it would write the stream logs)"
      return
    }
    if let r = run, r.state.withLock({ $0.finished == nil }) {
      message = "a run is already going on"
      return
    }
    let progress = RunProgress()
    run = progress
    runSeen = 0
    message = "dry run of \(track) started"
    let ws = manager.workspace
    Task.detached {
      do {
        let engine = try ConductorEngine(
          workspace: ws, track: track, runner: DryRunRunner(), progress: { progress.add($0) })
        let s = try await engine.run()
        progress.finish(
          "dry run of \(track): \(s.done.count) done, \(s.blocked.count) blocked, \(s.waiting.count) waiting")
      } catch {
        progress.finish("dry run of \(track) refused: \(error)")
      }
    }
  }

  /// Ended by a signal (SIGHUP at an ssh drop, SIGTERM): unsaved edits of the Persona Editor and
  /// of the ticket form are kept in `drafts/` and offered at the next start.
  public mutating func terminate(signal: Int32) {
    let c = config
    if let e = editor, e.isDirty(c), case .success(let persona) = e.build(c) {
      SavedDraft(original: e.editing, persona: persona, savedAt: StreamLog.timestamp()).write(manager.workspace.paths)
    }
    if tickets.isDirty(c), let ticket = tickets.draft(c), let track = tickets.selectedTrack(c) {
      TicketDraft(track: track.name, ticket: ticket, savedAt: StreamLog.timestamp()).write(manager.workspace.paths)
    }
    ai.numberDraft(savedAt: StreamLog.timestamp())?.write(manager.workspace.paths)
    // A typed number waiting in the "Changed on disk" dialog is kept the same way.
    if case .aiField(let field, let value)? = conflict?.value {
      let text = value.map { TOMLWriter.format($0, inline: true) } ?? ""
      AINumberDraft(field: field.rawValue, text: text, savedAt: StreamLog.timestamp()).write(manager.workspace.paths)
    }
  }

  public mutating func edited(file: String) {
    editor?.edited(file: file)
  }

  public var isEditorOpen: Bool { editor != nil }

  /// What has unsaved changes (the Persona Editor's form, the ticket form, a number being typed).
  var unsaved: String? {
    if let e = editor, e.isDirty(config) { return "the Persona Editor (\(e.editing ?? "new persona"))" }
    if tickets.isDirty(config) { return "ticket \(tickets.editingID ?? "")" }
    if ai.editing != nil { return "AI Settings (\(ai.editing!))" }
    return nil
  }

  /// A text field has the focus: `?` is typed there, not help.
  var isTextFocus: Bool {
    switch screen {
    case .aiSettings: return ai.isTextFocus
    case .mma: return false
    case .tickets: return ["description", "depends_on"].contains(tickets.focus.current ?? "")
    }
  }

  public static let keyMap = KeyMap(
    title: "Everywhere",
    bindings: [
      KeyBinding(["F1", "?"], "help (this overlay); ? outside a text field"),
      KeyBinding(["F2", "M-2"], "AI Settings"),
      KeyBinding(["F3", "M-3"], "MMA Dashboard"),
      KeyBinding(["F4", "M-4"], "Tickets"),
      KeyBinding(["F5", "C-p"], "open / close the Persona Editor"),
      KeyBinding(["F6", "M-6"], "the history of changes: Enter undoes the selected one, d shows its diff"),
      KeyBinding(["F7", "M-7"], "diff before save on / off (Enter saves)"),
      KeyBinding(["Esc"], "close the dropdown / dialog / help"),
      KeyBinding(["C-z"], "suspend (fg to come back)"),
      KeyBinding(["C-q"], "quit (asks first when something is unsaved)"),
    ])
}

extension AISettingsScreen {
  /// A number field has the focus: `?` is typed there, not help.
  var isTextFocus: Bool { ["temperature", "top_p", "max_output_tokens"].contains(focus.current ?? "") }
}
