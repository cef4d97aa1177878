import PersonaKit
import TermUI

/// A save refused because what it would overwrite was changed on disk (another Dramatis, an
/// editor) since the user's edit began. The user chooses: `r` reload (theirs stays, the edit is
/// dropped), `v` show the differences, `k` keep mine — only after the differences were shown.
///
/// What counts as "what it would overwrite" is the thing edited, not the whole file: a ticket of
/// a track, one tier's assignment, the AI Settings panel. A change elsewhere in the same file is
/// not a conflict: the file is read again and the save goes on top of it.
struct SaveConflict: Equatable {
  enum Mine: Equatable {
    /// The ticket form's ticket, to go into its track.
    case ticket(track: String, Ticket)
    /// A tier's persona (nil: none) in `mma.toml` of a scope.
    case tier(Int, persona: String?, scope: Scope)
    /// The AI Settings panel as the edit made it (a choice, a revert, another persona).
    case aiSettings(AISettings)
    /// A number typed in AI Settings: one field's new value, put into the panel as it is when
    /// written.
    case aiField(AIField, TOMLNode?)

    /// What it changes, as the messages and the dialog name it.
    var what: String {
      switch self {
      case .ticket(let track, let ticket): return "ticket \(ticket.id) of track \(track)"
      case .tier(let n, _, _): return "tier \(n)"
      case .aiSettings: return "the AI Settings panel"
      case .aiField(let field, _): return "\(field.label) in AI Settings"
      }
    }
  }

  /// What was changed, for the dialog ("ticket T-002 of track auth").
  var what: String
  var theirs: [String]
  var mine: [String]
  /// What `k` writes (nil: the Persona Editor's own dialog, which writes the persona itself).
  var value: Mine?
  var diffShown = false

  /// The dialog's lines (the differences only once asked for, cut to `room` lines).
  func lines(room: Int) -> [String] {
    var lines = [
      "\(what) was changed on disk (another Dramatis, or an editor)",
      "since your edit began. Saving now would overwrite that change.", "",
    ]
    if diffShown {
      let d = PersonaEditor.diff(theirs, mine)
      let room = max(3, room)
      lines.append("- on disk    + yours")
      lines += d.isEmpty ? ["(no difference left)"] : Array(d.prefix(room))
      if d.count > room { lines.append("… \(d.count - room) more") }
      lines.append("")
    }
    lines.append(
      diffShown
        ? "r: reload (drop yours)   k: keep yours (overwrite)   Esc: back"
        : "r: reload (drop yours)   v: show the differences   Esc: back")
    return lines
  }

  // MARK: What is compared

  static func lines(_ ticket: Ticket?) -> [String] {
    guard let ticket else { return ["(deleted)"] }
    return toml(TOMLDict([("tickets", .array([.table(ticket.table)]))]))
  }

  static func lines(tier: Int, _ persona: String?) -> [String] {
    ["tier\(tier) = " + (persona.map { "\"\($0)\"" } ?? "(none)")]
  }

  static func lines(_ settings: AISettings) -> [String] { toml(settings.write(onto: TOMLDict())) }

  static func lines(_ field: AIField, _ value: TOMLNode?) -> [String] {
    ["\(field.rawValue) = " + (value.map { TOMLWriter.format($0, inline: true) } ?? "(not set)")]
  }

  static func toml(_ root: TOMLDict) -> [String] {
    TOMLWriter.write(root).split(separator: "\n").map(String.init)
  }
}

extension DramatisApp {
  /// Saves `mine` unless what it overwrites changed since `base` (what the edit began from): then
  /// the conflict dialog. A save refused because the file changed (before the watcher saw it) is
  /// retried after reading the files again, when the thing itself did not change. True when saved.
  /// `saved`: the message once saved. With F7 on, the save waits under its preview first
  /// (`confirmed`: it was shown).
  @discardableResult
  mutating func save(
    _ mine: SaveConflict.Mine, base: [String], saved: String? = nil, confirmed: Bool = false
  ) -> Bool {
    let what = mine.what
    /// True (and the dialog up) when the thing changed since the edit began.
    func conflicts(_ app: inout DramatisApp) -> Bool {
      let theirs = app.current(mine)
      guard theirs != base else { return false }
      app.conflict = SaveConflict(what: what, theirs: theirs, mine: Self.lines(mine), value: mine)
      app.message = "not saved: \(what) was changed on disk since your edit began"
      return true
    }
    if conflicts(&self) { return false }
    if !confirmed && previewFirst(.mine(mine, base: base, saved: saved ?? "")) { return false }
    do {
      do {
        try write(mine)
      } catch .changedOnDisk {
        manager.reload()
        if conflicts(&self) { return false }
        try write(mine)
      }
    } catch {
      message = error.description
      return false
    }
    if let saved { message = saved }
    return true
  }

  /// The thing as it is now (on disk, as last read).
  func current(_ mine: SaveConflict.Mine) -> [String] {
    switch mine {
    case .ticket(let track, let ticket):
      return SaveConflict.lines(config.tracks[track]?.tickets.first { $0.id == ticket.id })
    case .tier(let n, _, _):
      return SaveConflict.lines(tier: n, config.mma.persona(forTier: n))
    case .aiSettings:
      return SaveConflict.lines(config.aiSettings)
    case .aiField(let field, _):
      return SaveConflict.lines(field, LiveBinding.fields(config.aiSettings, config: config)[field]?.value)
    }
  }

  static func lines(_ mine: SaveConflict.Mine) -> [String] {
    switch mine {
    case .ticket(_, let ticket): return SaveConflict.lines(ticket)
    case .tier(let n, let persona, _): return SaveConflict.lines(tier: n, persona)
    case .aiSettings(let s): return SaveConflict.lines(s)
    case .aiField(let field, let value): return SaveConflict.lines(field, value)
    }
  }

  /// Writes `mine` over what is loaded now (a ticket goes into the track as it is now: other
  /// tickets' changes stay).
  mutating func write(_ mine: SaveConflict.Mine) throws(ConfigError) {
    try Self.write(mine, into: &manager)
    if case .ticket(_, let ticket) = mine { tickets.saved(ticket) }
  }

  /// The saves of `mine` (the same for a write and for its preview).
  static func write(_ mine: SaveConflict.Mine, into manager: inout PersonaManager) throws(ConfigError) {
    let config = manager.config
    switch mine {
    case .ticket(let name, let ticket):
      guard var t = config.tracks[name] else { throw .notFound(kind: "track", name: name) }
      guard let i = t.tickets.firstIndex(where: { $0.id == ticket.id }) else {
        throw .invalid("ticket \(ticket.id) is no longer in track \(name) (deleted on disk): not saved")
      }
      t.tickets[i] = ticket
      try manager.saveTrack(t)
    case .tier(let n, let persona, let scope):
      try manager.assignTier(n, persona: persona, scope: scope)
    case .aiSettings(let s):
      try manager.saveAISettings(s)
    case .aiField(let field, let value):
      try manager.saveAISettings(LiveBinding.edit(field, to: value, in: config.aiSettings, config: config))
    }
  }

  /// The conflict dialog's keys.
  mutating func handleConflict(_ key: Key) {
    guard var c = conflict else { return }
    switch key {
    case .char("r"):
      conflict = nil
      switch c.value {
      case nil: break
      case .ticket(let track, let ticket):
        let theirs = config.tracks[track]?.tickets.first { $0.id == ticket.id }
        tickets.load(theirs, config: config)
      case .tier, .aiSettings, .aiField: ai.editing = nil
      }
      message = "reloaded \(c.what) from disk: your change was dropped"
    case .char("v"):
      c.diffShown = true
      conflict = c
    case .char("k") where c.diffShown:
      conflict = nil
      guard let value = c.value else { return }
      do {
        do {
          try write(value)
        } catch .changedOnDisk {
          manager.reload()
          c.theirs = current(value)
          c.diffShown = false
          conflict = c
          message = "not saved: the file changed again; look at the differences again"
          return
        }
      } catch {
        message = error.description
        return
      }
      message = "saved your version of \(c.what) over the change on disk"
    case .char("k"):
      message = "see the differences first (v), then k keeps yours"
    case .escape:
      conflict = nil
      message = "not saved"
    default: break
    }
  }
}
