import PersonaKit
import TermUI

/// The history of changes over any screen (F6): the recent changes, newest first; Enter undoes the
/// selected one (`History.undo`: refused over a later change it would overwrite), `d` shows what
/// it did, Esc closes.
struct HistoryOverlay {
  var entries: [History.Entry]
  var selected = 0
  var diffShown = false
  /// How many changes the window lists.
  static let shown = 15

  init(paths: ConfigPaths) {
    entries = Array(History.entries(paths).reversed().prefix(Self.shown))
  }

  enum Outcome {
    case stay
    case close
    case undo(Int)
  }

  mutating func handle(_ key: Key) -> Outcome {
    switch key {
    case .escape, .function(6), .alt("6"): return .close
    case .up: selected = max(0, selected - 1)
    case .down: selected = min(max(0, entries.count - 1), selected + 1)
    case .char("d"): diffShown.toggle()
    case .enter, .char("u"):
      if entries.indices.contains(selected) { return .undo(entries[selected].number) }
    default: break
    }
    return .stay
  }

  func lines(room: Int) -> [String] {
    guard !entries.isEmpty else { return ["No changes recorded yet.", "", "Esc: close"] }
    var out = entries.enumerated().map { i, e in
      "\(i == selected ? "▸" : " ") \(e.number)  \(e.time.dropFirst(11).prefix(8))  \(e.summary)"
    }
    if diffShown, entries.indices.contains(selected) {
      let diff = History.diff(entries[selected])
      let fits = max(0, room - out.count - 4)
      out += [""] + diff.prefix(fits)
      if diff.count > fits { out.append("… (dramatis diff \(entries[selected].number) shows it all)") }
    }
    return out + ["", "Enter: undo the selected change   d: its diff   Esc: close"]
  }
}
