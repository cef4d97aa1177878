import FoundationEssentials
import PersonaKit
import TermUI

/// The MMA Dashboard (PRODUCT.md surface 2): the four tiers with their roles, a persona dropdown
/// each and the resolved provider / model / temperature / tool preset; the tickets of the selected
/// track with status, tier, effective persona (an override looks different from an inherited one)
/// and effective model; and the stream log of the selected tier, following new lines.
public struct MMADashboard {
  static let tierIDs = ["tier1", "tier2", "tier3", "tier4"]
  public var focus = FocusRing(MMADashboard.tierIDs + ["track", "dryrun", "tickets"])
  var tiers = [DropdownState](repeating: DropdownState(), count: 4)
  var track = DropdownState(selected: 0)
  var tickets = ListState(filterable: false)
  /// The tier whose stream log shows: the last tier row that had the focus.
  var logTier = 3
  /// A tier's assignment when its dropdown was opened: what a choice replaces (a change made on
  /// disk meanwhile is a conflict, not overwritten).
  var openedWith: (tier: Int, persona: String?)?

  public init() {}

  public static let keyMap = KeyMap(
    title: "MMA Dashboard",
    bindings: [
      KeyBinding(["Enter"], "on a tier: choose its persona (saved to mma.toml)"),
      KeyBinding(["Tab", "S-Tab"], "tiers, the track, its tickets"),
      KeyBinding(["Up", "Down"], "move in the tickets"),
      KeyBinding(["Enter on Dry run"], "run the track through the conductor (dry-run runner); progress shows here"),
      KeyBinding(["log"], "the stream log of the last focused tier follows new lines"),
    ])

  func personaOptions(_ config: Config) -> [String] { config.personas.namesWithNone }

  var isModal: Bool { tiers.contains { $0.isOpen } || track.isOpen }

  /// Set when Enter is pressed on [ Dry run ]: the track to run.
  var dryRunRequest: String?

  /// Handles a key; returns a tier assignment to save (tier, persona or nil) and a message.
  /// Handles a key; a tier's new persona comes with the assignment it replaces (`base`).
  mutating func handle(
    _ key: Key, config: Config
  ) -> (assign: (tier: Int, persona: String?, base: String?)?, message: String?) {
    let personas = personaOptions(config)
    let trackNames = config.tracks.names
    if let i = tiers.firstIndex(where: { $0.isOpen }) {
      if case .chose(let k) = Dropdown.handle(key, state: &tiers[i], options: personas) {
        let base = openedWith?.tier == i + 1 ? openedWith!.persona : config.mma.persona(forTier: i + 1)
        openedWith = nil
        return ((i + 1, k == 0 ? nil : personas[k], base), nil)
      }
      if !tiers[i].isOpen { openedWith = nil }
      return (nil, nil)
    }
    if track.isOpen {
      if case .chose = Dropdown.handle(key, state: &track, options: trackNames) {
        tickets = ListState(filterable: false)
      }
      return (nil, nil)
    }
    switch key {
    case .tab:
      focus.next()
    case .backTab:
      focus.previous()
    default:
      let id = focus.current ?? ""
      if let i = Self.tierIDs.firstIndex(of: id) {
        logTier = i + 1
        if case .chose(let k) = Dropdown.handle(key, state: &tiers[i], options: personas) {
          return ((i + 1, k == 0 ? nil : personas[k], config.mma.persona(forTier: i + 1)), nil)
        }
        if tiers[i].isOpen { openedWith = (i + 1, config.mma.persona(forTier: i + 1)) }
      } else if id == "dryrun" {
        if Button.isPress(key), let t = selectedTrack(config) { dryRunRequest = t.name }
      } else if id == "track" {
        if case .chose = Dropdown.handle(key, state: &track, options: trackNames) {
          tickets = ListState(filterable: false)
        }
      } else if id == "tickets", let t = selectedTrack(config) {
        _ = ListView.handle(key, state: &tickets, source: TicketIDs(track: t))
      }
    }
    if let i = Self.tierIDs.firstIndex(of: focus.current ?? "") { logTier = i + 1 }
    return (nil, nil)
  }

  func selectedTrack(_ config: Config) -> Track? {
    let names = config.tracks.names
    guard let i = track.selected, i < names.count else { return names.first.flatMap { config.tracks[$0] } }
    return config.tracks[names[i]]
  }

  mutating func draw(into buffer: inout Buffer, area: Rect, workspace: Workspace, config: Config, theme: Theme) {
    let personas = personaOptions(config)
    let resolver = Resolver(config)
    let inner = Panel.draw(into: &buffer, area: area, title: "MMA Dashboard", focused: true, theme: theme)
    guard inner.height > 2 else { return }
    var anchors: [Int: Rect] = [:]
    // The four tiers.
    for n in 1...4 {
      let y = inner.y + n - 1
      guard y < inner.maxY else { break }
      let id = "tier\(n)"
      if !tiers[n - 1].isOpen {
        PersonaEditor.choose(
          &tiers[n - 1], config.mma.persona(forTier: n), in: personas,
          position: { config.personas.position(of: $0).map { $0 + 1 } })
      }
      let focused = focus.isFocused(id)
      Label.draw(
        "Tier \(n) \(MMAConfig.tierRoles[n] ?? "")", into: &buffer,
        area: Rect(x: inner.x + 1, y: y, width: 20, height: 1).intersection(inner),
        style: focused ? theme.titleFocused : theme.normal)
      let field = Rect(x: inner.x + 22, y: y, width: min(26, max(0, inner.width - 23)), height: 1).intersection(inner)
      anchors[n] = field
      Dropdown.renderField(
        state: tiers[n - 1], options: personas, into: &buffer, area: field, theme: theme, focused: focused)
      let r = resolver.resolve(tier: n, track: nil, ticket: nil)
      let summary = [
        r.provider.value ?? "-", r.model.value ?? "-",
        r.temperature.value.map { "t=" + TOMLWriter.formatFloat($0) } ?? "t=-",
        r.toolPresetID.value ?? "(no tools)",
      ].joined(separator: "  ")
      Label.draw(
        summary, into: &buffer, area: Rect(x: field.maxX + 2, y: y, width: inner.maxX - field.maxX - 3, height: 1),
        style: theme.muted)
    }
    // The track and its tickets.
    let trackNames = config.tracks.names
    let trackRow = Rect(x: inner.x + 1, y: inner.y + 5, width: inner.width - 2, height: 1).intersection(inner)
    Label.draw(
      "Track", into: &buffer, area: trackRow, style: focus.isFocused("track") ? theme.titleFocused : theme.normal)
    let trackField = Rect(x: inner.x + 22, y: trackRow.y, width: min(26, max(0, inner.width - 23)), height: 1)
      .intersection(inner)
    Dropdown.renderField(
      state: track, options: trackNames, into: &buffer, area: trackField, theme: theme,
      focused: focus.isFocused("track"),
      placeholder: "(no tracks)")
    let current = selectedTrack(config)
    let dryRunX = trackField.maxX + 2
    Button.render(
      "Dry run", into: &buffer, at: dryRunX, y: trackRow.y, clip: inner, theme: theme,
      focused: focus.isFocused("dryrun"))
    if let t = current {
      let titleX = dryRunX + Button.width("Dry run") + 2
      Label.draw(
        t.title, into: &buffer, area: Rect(x: titleX, y: trackRow.y, width: max(0, inner.maxX - titleX - 1), height: 1),
        style: theme.muted)
    }
    let rest = Rect(x: inner.x, y: inner.y + 7, width: inner.width, height: max(0, inner.height - 7))
    guard rest.height > 2 else { return }
    let parts = Layout.split(rest, .rows, [.percent(50, min: 3), .fill(min: 3)])
    let ticketBox = Panel.draw(
      into: &buffer, area: parts[0], title: "Tickets" + (current.map { " — \($0.name)" } ?? ""),
      focused: focus.isFocused("tickets"), theme: theme)
    if let t = current {
      // Rows are made when drawn: only the visible ones are resolved (10,000 tickets are not).
      let rows = TicketRows(track: t, resolver: resolver)
      ListView.render(
        state: &tickets, source: rows, into: &buffer, area: ticketBox, theme: theme,
        focused: focus.isFocused("tickets"),
        emptyText: "(no tickets)",
        decorate: { i in
          let tk = t.tickets[i]
          return ("", tk.personaID != nil ? theme.modified : (tk.status == "blocked" ? theme.error : nil))
        })
    } else {
      Label.draw("(no tracks: add tracks/NAME.toml)", into: &buffer, area: ticketBox.row(0), style: theme.muted)
    }
    // The stream log of the selected tier.
    let logBox = Panel.draw(
      into: &buffer, area: parts[1],
      title: "Stream log — tier \(logTier) \(MMAConfig.tierRoles[logTier] ?? "")"
        + (current.map { " — logs/\($0.name)/tier\(logTier).jsonl" } ?? ""),
      theme: theme)
    if let t = current, logBox.height > 0 {
      let scope = config.tracks.scoped(t.name)?.scope ?? .global
      let dir = (workspace.paths.directory(scope) ?? workspace.paths.global).appendingPathComponent("logs/\(t.name)")
      let lines = StreamLog(directory: dir).lastEvents(tier: logTier, count: logBox.height).map(StreamLog.line(for:))
      if lines.isEmpty {
        Label.draw("(no events yet: dramatis run \(t.name))", into: &buffer, area: logBox.row(0), style: theme.muted)
      }
      for (i, l) in lines.enumerated() { Label.draw(l, into: &buffer, area: logBox.row(i), style: theme.normal) }
    }
    // Popups last.
    for n in 1...4 where tiers[n - 1].isOpen {
      if let a = anchors[n] {
        Dropdown.renderPopup(
          state: &tiers[n - 1], options: personas, anchor: a, screen: area, into: &buffer, theme: theme)
      }
    }
    if track.isOpen {
      Dropdown.renderPopup(
        state: &track, options: trackNames, anchor: trackField, screen: area, into: &buffer, theme: theme)
    }
  }
}

extension String {
  func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - DisplayWidth.of(self))) }
}

/// The ticket rows of the dashboard, resolved when asked for (the list asks for the rows it shows).
struct TicketRows: ListSource {
  let track: Track
  let resolver: Resolver

  var count: Int { track.tickets.count }

  func text(at index: Int) -> String {
    let tk = track.tickets[index]
    let r = resolver.resolve(tier: tk.tier, track: track, ticket: tk)
    let persona =
      if let own = tk.personaID, !own.isEmpty, !resolver.config.personas.contains(own) {
        "▸ " + TicketEditor.unknownPersona(own)
      } else if r.source == .ticketOverride {
        "▸ \(r.personaName ?? "?") (override)"
      } else {
        r.personaName ?? "(none)"
      }
    let col = { (s: String, w: Int) in DisplayWidth.truncate(s, to: w).padding(w) }
    return col(tk.id, 8) + " " + col(tk.status, 12) + " " + col("tier \(tk.tier)", 7) + " " + col(persona, 30) + " "
      + (r.model.value ?? "-")
  }
}

/// The ticket ids, as the list filters them (no array of 10,000 ids made per key).
struct TicketIDs: ListSource {
  let track: Track
  var count: Int { track.tickets.count }
  func text(at index: Int) -> String { track.tickets[index].id }
}
