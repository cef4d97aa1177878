import PersonaKit
import TermUI

/// The Ticket editor (PRODUCT.md surface 3): the tickets of a track; for the selected one its id
/// (read-only), description, status, tier, depends_on (unknown ids and cycles refused with a clear
/// message), the persona override (first entry `(inherit: <persona>)`) and the model override;
/// beside the form, the resolved persona with the origin of every field. Saved to the track file.
public struct TicketEditor {
  static let order = ["track", "tickets", "description", "status", "tier", "depends_on", "persona", "model", "save"]
  public var focus = FocusRing(TicketEditor.order)
  var track = DropdownState(selected: 0)
  var tickets = ListState(filterable: false)
  var editingID: String?
  var description = TextAreaState("")
  var status = DropdownState()
  var tier = DropdownState()
  var dependsOn = TextFieldState("")
  var persona = DropdownState()
  var model = DropdownState(allowsCustom: true)
  var original: Ticket?

  public init() {}

  public static let keyMap = KeyMap(
    title: "Tickets",
    bindings: [
      KeyBinding(["Tab", "S-Tab"], "track, tickets, then the form"),
      KeyBinding(["Up", "Down"], "choose a ticket (save or revert your changes first)"),
      KeyBinding(["C-s"], "save the ticket to the track file (depends_on is checked first)"),
      KeyBinding(["C-r"], "revert the form to the ticket on disk"),
      KeyBinding(["depends_on"], "ticket ids separated by commas"),
    ])

  static let statuses = Ticket.statuses
  static let tierNames = (1...4).map { "\($0) \(MMAConfig.tierRoles[$0] ?? "")" }

  var isModal: Bool { [track, status, tier, persona, model].contains { $0.isOpen } }

  func selectedTrack(_ config: Config) -> Track? {
    let names = config.tracks.names
    guard let i = track.selected, i < names.count else { return names.first.flatMap { config.tracks[$0] } }
    return config.tracks[names[i]]
  }

  func selectedTicket(_ config: Config) -> Ticket? {
    guard let t = selectedTrack(config), let i = tickets.selectedIndex(TicketIDs(track: t)) else { return nil }
    return t.tickets[i]
  }

  /// The persona a ticket would inherit (track, tier, default).
  static func inherited(_ config: Config, track: Track, tier: Int) -> String {
    let (name, _, _) = Resolver(config).choosePersona(tier: tier, track: track, ticket: nil)
    return name ?? "none"
  }

  /// The persona dropdown's options: "(inherit: …)" and every persona. Made only while the
  /// dropdown is focused or open (10,000 names); elsewhere `personaName(at:)` and the position
  /// index answer.
  func personaOptions(_ config: Config, track: Track, tier: Int) -> [String] {
    var options = config.personas.namesWithNone
    options[0] = "(inherit: \(Self.inherited(config, track: track, tier: tier)))"
    return options
  }

  /// How a ticket's `persona_id` that names no persona is shown (the form and the dashboard).
  static func unknownPersona(_ name: String) -> String { "\(name) — unknown persona" }

  /// The persona at an index of the persona dropdown (0: inherit, none).
  static func personaName(at index: Int, _ config: Config) -> String? {
    let names = config.personas.names
    return index > 0 && index <= names.count ? names[index - 1] : nil
  }

  func modelOptions(_ config: Config) -> [String] {
    ["(none)"] + config.providers.values.flatMap(\.models)
  }

  mutating func load(_ ticket: Ticket?, config: Config) {
    original = ticket
    editingID = ticket?.id
    guard let ticket, selectedTrack(config) != nil else { return }
    description = TextAreaState(ticket.description)
    PersonaEditor.choose(&status, ticket.status, in: Self.statuses)
    tier.selected = Self.tierIndex(ticket.tier)
    dependsOn = TextFieldState(ticket.dependsOn.joined(separator: ", "))
    // A persona_id that names no persona (a hand-edited track) is kept as it is: no entry of the
    // dropdown is chosen, the field shows the value with a warning, and the draft keeps it until
    // the user chooses another.
    persona.selected =
      ticket.personaID.flatMap { config.personas.position(of: $0) }.map { $0 + 1 }
      ?? ((ticket.personaID ?? "").isEmpty ? 0 : nil)
    PersonaEditor.choose(&model, ticket.modelOverride, in: modelOptions(config))
  }

  /// The tier dropdown's entry for a tier; none for a tier outside 1…4 (the field shows the number).
  static func tierIndex(_ tier: Int) -> Int? { (1...4).contains(tier) ? tier - 1 : nil }

  /// The ticket as the form says.
  func draft(_ config: Config) -> Ticket? {
    guard var t = original, selectedTrack(config) != nil else { return nil }
    t.description = description.text
    t.status = status.selected.map { Self.statuses[$0] } ?? t.status
    // A tier outside 1…4 (reported by validation) is kept until another tier is chosen.
    if let i = tier.selected, i != Self.tierIndex(t.tier) { t.tier = i + 1 }
    t.dependsOn = dependsOn.text.split(separator: ",").map { String($0.trimmingSpaces) }.filter {
      !$0.isEmpty
    }
    if let s = persona.selected { t.personaID = Self.personaName(at: s, config) }
    t.modelOverride = PersonaEditor.chosen(model, in: modelOptions(config))
    return t
  }

  func isDirty(_ config: Config) -> Bool { draft(config).map { $0 != original } ?? false }

  /// depends_on refused when it names unknown ids or makes a cycle.
  static func check(_ ticket: Ticket, in track: Track) -> String? {
    let ids = Set(track.tickets.map(\.id))
    if let unknown = ticket.dependsOn.first(where: { !ids.contains($0) }) {
      return
        "depends_on: unknown ticket \(unknown) (this track has: \(track.tickets.map(\.id).joined(separator: ", ")))"
    }
    if ticket.dependsOn.contains(ticket.id) { return "depends_on: a ticket cannot depend on itself" }
    var changed = track
    if let i = changed.tickets.firstIndex(where: { $0.id == ticket.id }) { changed.tickets[i] = ticket }
    if let cycle = Validator.cycles(in: changed.tickets).first {
      return "depends_on: that makes a dependency cycle: " + Validator.path(of: cycle)
    }
    return nil
  }

  /// Handles a key; returns a track to save and a message.
  mutating func handle(_ key: Key, config: Config) -> (save: Track?, message: String?) {
    guard let t = selectedTrack(config) else {
      if key == .tab { focus.next() }
      if key == .backTab { focus.previous() }
      return (nil, "no tracks: add tracks/NAME.toml")
    }
    followDisk(config)
    let current = draft(config)
    let personas =
      persona.isOpen || focus.isFocused("persona") ? personaOptions(config, track: t, tier: current?.tier ?? 3) : []
    let models = modelOptions(config)
    // An open dropdown has every key.
    for (k, options) in [
      (\TicketEditor.track, config.tracks.names), (\.status, Self.statuses), (\.tier, Self.tierNames),
      (\.persona, personas), (\.model, models),
    ] as [(WritableKeyPath<TicketEditor, DropdownState>, [String])]
    where self[keyPath: k].isOpen {
      let before = track.selected
      _ = Dropdown.handle(key, state: &self[keyPath: k], options: options)
      if k == \TicketEditor.track && track.selected != before {
        tickets = ListState(filterable: false)
        editingID = nil
      }
      return (nil, nil)
    }
    switch key {
    case .tab:
      focus.next()
      return (nil, nil)
    case .backTab:
      focus.previous()
      return (nil, nil)
    case .ctrl("r"):
      load(original, config: config)
      return (nil, "reverted to the ticket on disk")
    case .ctrl("s"):
      return save(config)
    default: break
    }
    switch focus.current {
    case "track":
      if isDirty(config) && Dropdown.handle(key, state: &track, options: config.tracks.names) != .ignored {
        track.isOpen = false
        return (nil, "unsaved changes to \(editingID ?? ""): Ctrl-S saves, Ctrl-R reverts")
      }
      let before = track.selected
      _ = Dropdown.handle(key, state: &track, options: config.tracks.names)
      if track.selected != before {
        tickets = ListState(filterable: false)
        editingID = nil
      }
    case "tickets":
      var moved = tickets
      _ = ListView.handle(key, state: &moved, source: TicketIDs(track: t))
      if moved.selected != tickets.selected && isDirty(config) {
        return (nil, "unsaved changes to \(editingID ?? ""): Ctrl-S saves, Ctrl-R reverts")
      }
      tickets = moved
      load(selectedTicket(config), config: config)
    case "description": _ = TextArea.handle(key, state: &description)
    case "status": _ = Dropdown.handle(key, state: &status, options: Self.statuses)
    case "tier": _ = Dropdown.handle(key, state: &tier, options: Self.tierNames)
    case "depends_on": _ = TextField.handle(key, state: &dependsOn)
    case "persona": _ = Dropdown.handle(key, state: &persona, options: personas)
    case "model": _ = Dropdown.handle(key, state: &model, options: models)
    case "save" where Button.isPress(key): return save(config)
    default: break
    }
    return (nil, nil)
  }

  mutating func save(_ config: Config) -> (save: Track?, message: String?) {
    guard var t = selectedTrack(config), let ticket = draft(config) else { return (nil, "no ticket selected") }
    if let problem = Self.check(ticket, in: t) { return (nil, "not saved: \(problem)") }
    guard let i = t.tickets.firstIndex(where: { $0.id == ticket.id }) else { return (nil, nil) }
    t.tickets[i] = ticket
    return (t, "saved \(ticket.id) to tracks/\(t.name).toml")
  }

  /// A clean form follows the selected ticket, also when it changed on disk; a form with unsaved
  /// changes keeps them (saving then asks, when the ticket changed on disk meanwhile).
  mutating func followDisk(_ config: Config) {
    let selected = selectedTicket(config)
    if editingID == nil || (selected != original && !isDirty(config)) { load(selected, config: config) }
  }

  /// The ticket was written: the form is clean again.
  mutating func saved(_ ticket: Ticket) {
    if ticket.id == editingID { original = ticket }
  }

  mutating func draw(into buffer: inout Buffer, area: Rect, config: Config, theme: Theme) {
    let inner = Panel.draw(into: &buffer, area: area, title: "Tickets", focused: true, theme: theme)
    guard inner.width > 20, inner.height > 3, let t = selectedTrack(config) else {
      Label.draw("(no tracks: add tracks/NAME.toml)", into: &buffer, area: inner.row(0), style: theme.muted)
      return
    }
    followDisk(config)
    let cols = Layout.split(inner, .columns, [.percent(20, min: 12), .percent(45, min: 30), .fill(min: 20)], gap: 1)
    // Left: track and tickets.
    let trackField = cols[0].row(0)
    Dropdown.renderField(
      state: track, options: config.tracks.names, into: &buffer, area: trackField, theme: theme,
      focused: focus.isFocused("track"))
    // The list and the form side by side: a Down changes rows of both (FrameEncoder).
    buffer.columnSplit = cols[0].maxX
    let listBox = Panel.draw(
      into: &buffer, area: cols[0].inset(top: 1), title: "\(t.tickets.count) tickets",
      focused: focus.isFocused("tickets"),
      theme: theme)
    ListView.render(
      state: &tickets, source: TicketIDStatus(track: t), into: &buffer, area: listBox, theme: theme,
      focused: focus.isFocused("tickets"))
    // Middle: the form.
    let form = cols[1]
    let current = draft(config)
    let inheritLabel = "(inherit: \(Self.inherited(config, track: t, tier: current?.tier ?? 3)))"
    let models = modelOptions(config)
    let lw = 12
    var anchors: [String: Rect] = [:]
    func field(_ y: Int, _ id: String, _ label: String, height: Int = 1) -> Rect {
      Label.draw(
        label, into: &buffer, area: Rect(x: form.x, y: form.y + y, width: lw, height: 1).intersection(form),
        style: focus.isFocused(id) ? theme.titleFocused : theme.normal)
      let r = Rect(x: form.x + lw, y: form.y + y, width: form.width - lw, height: height).intersection(form)
      anchors[id] = r.row(0)
      return r
    }
    let id = field(0, "id", "ID")
    Label.draw(current?.id ?? "(no ticket)", into: &buffer, area: id, style: theme.muted)
    TextArea.render(
      state: &description, into: &buffer, area: field(1, "description", "Description", height: 4), theme: theme,
      focused: focus.isFocused("description"))
    Dropdown.renderField(
      state: status, options: Self.statuses, into: &buffer, area: field(5, "status", "Status"), theme: theme,
      focused: focus.isFocused("status"))
    Dropdown.renderField(
      state: tier, options: Self.tierNames, into: &buffer, area: field(6, "tier", "Tier"), theme: theme,
      focused: focus.isFocused("tier"), placeholder: "\(current?.tier ?? 3) (not 1–4)")
    TextField.render(
      state: &dependsOn, into: &buffer, area: field(7, "depends_on", "Depends on"), theme: theme,
      focused: focus.isFocused("depends_on"), placeholder: "(none)")
    // The field shows one entry: no list of every persona is made for it.
    var shownPersona = persona
    shownPersona.selected = 0
    let personaField = field(8, "persona", "Persona")
    let unknown = persona.selected == nil ? current?.personaID : nil
    Dropdown.renderField(
      state: shownPersona,
      options: [
        unknown.map(Self.unknownPersona) ?? persona.selected.flatMap { Self.personaName(at: $0, config) }
          ?? inheritLabel
      ],
      into: &buffer, area: personaField, theme: theme, focused: focus.isFocused("persona"))
    if let unknown, !personaField.isEmpty {
      Label.draw(
        " " + Self.unknownPersona(unknown), into: &buffer, area: personaField.row(0).inset(right: 2), style: theme.error
      )
    }
    Dropdown.renderField(
      state: model, options: models, into: &buffer, area: field(9, "model", "Model"), theme: theme,
      focused: focus.isFocused("model"), placeholder: "(none)")
    let saveRow = Rect(x: form.x + lw, y: form.y + 10, width: form.width - lw, height: 1).intersection(form)
    if !saveRow.isEmpty {
      Button.render(
        "Save", into: &buffer, at: saveRow.x, y: saveRow.y, clip: saveRow, theme: theme,
        focused: focus.isFocused("save"))
      if isDirty(config) {
        Label.draw(
          "  modified (C-s saves, C-r reverts)", into: &buffer, area: saveRow.inset(left: 9), style: theme.modified)
      }
    }
    // Right: the resolved persona, with where each field came from.
    let side = Panel.draw(into: &buffer, area: cols[2], title: "Resolved (with the form's values)", theme: theme)
    if let ticket = current, side.height > 0 {
      // The form's ticket with its track (the resolver reads the track's own fields only: no copy
      // of its 10,000 tickets with this one replaced).
      let r = Resolver(config).resolve(tier: ticket.tier, track: t, ticket: ticket)
      var lines = ["persona: \(r.personaName ?? "(none)")", "  from \(r.source.rawValue)"]
      func add(_ name: String, _ value: String?, _ origin: FieldOrigin) {
        lines.append("\(name): \(value ?? "-")")
        lines.append("  from \(origin.description)")
      }
      add("provider", r.provider.value, r.provider.origin)
      add("model", r.model.value, r.model.origin)
      add("temperature", r.temperature.value.map(TOMLWriter.formatFloat), r.temperature.origin)
      add("top_p", r.topP.value.map(TOMLWriter.formatFloat), r.topP.origin)
      add("max_output_tokens", r.maxOutputTokens.value.map(String.init), r.maxOutputTokens.origin)
      add("tool preset", r.toolPresetID.value, r.toolPresetID.origin)
      add("bias profile", r.biasProfileID.value, r.biasProfileID.origin)
      for w in r.warnings { lines.append("⚠ " + w) }
      for (i, l) in lines.prefix(side.height).enumerated() {
        Label.draw(l, into: &buffer, area: side.row(i), style: l.hasPrefix("  from") ? theme.muted : theme.normal)
      }
    }
    // Popups last.
    let screen = area  // not over the status line below
    if track.isOpen {
      Dropdown.renderPopup(
        state: &track, options: config.tracks.names, anchor: trackField, screen: screen, into: &buffer, theme: theme)
    }
    for (k, id, options) in [
      (\TicketEditor.status, "status", Self.statuses), (\.tier, "tier", Self.tierNames),
      (\.persona, "persona", persona.isOpen ? personaOptions(config, track: t, tier: current?.tier ?? 3) : []),
      (\.model, "model", models),
    ] as [(WritableKeyPath<TicketEditor, DropdownState>, String, [String])]
    where self[keyPath: k].isOpen {
      if let a = anchors[id] {
        Dropdown.renderPopup(
          state: &self[keyPath: k], options: options, anchor: a, screen: screen, into: &buffer, theme: theme)
      }
    }
  }
}

/// The ticket list's rows ("T-001 todo"), made when drawn.
struct TicketIDStatus: ListSource {
  let track: Track
  var count: Int { track.tickets.count }
  func text(at index: Int) -> String { "\(track.tickets[index].id) \(track.tickets[index].status)" }
}
