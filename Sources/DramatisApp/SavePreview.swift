import PersonaKit
import TermUI

/// What a save is about to write, shown before it writes when the user asked for it (F7): the
/// lines of every file the save changes, as the bytes on disk against the bytes it would leave
/// (`PersonaManager.preview`: the same saves run, nothing is written). Enter saves, Esc goes back
/// with the edit kept. The Persona Editor's saves and the app's (ticket form, tiers, AI Settings)
/// show the same window.
struct SavePreview: Equatable {
  /// `History.diff` of the files: `--- path`, then `- ` on disk only, `+ ` after the save only.
  var diff: [String]
  var scroll = 0

  static let title = "Save: what changes on disk"

  /// The preview of `change`, or the message to show instead: the change's refusal, or that it
  /// changes no byte.
  static func of(
    _ manager: PersonaManager, _ change: (inout PersonaManager) throws(ConfigError) -> Void
  ) -> Result<SavePreview, Refusal> {
    switch manager.preview(change) {
    case .failure(let error): return .failure(Refusal(message: error.description))
    case .success(let files) where files.isEmpty:
      return .failure(Refusal(message: "nothing to save: no file would change"))
    case .success(let files): return .success(SavePreview(diff: History.diff(files)))
    }
  }

  struct Refusal: Error {
    var message: String
  }

  enum Outcome {
    case stay
    case save
    case back
  }

  mutating func handle(_ key: Key, room: Int) -> Outcome {
    let page = max(1, Self.diffRoom(room) - 1)
    let last = max(0, diff.count - Self.diffRoom(room))
    switch key {
    case .enter, .char("y"), .ctrl("s"): return .save
    case .escape, .char("n"): return .back
    case .up: scroll = max(0, scroll - 1)
    case .down: scroll = min(last, scroll + 1)
    case .pageUp: scroll = max(0, scroll - page)
    case .pageDown: scroll = min(last, scroll + page)
    case .home: scroll = 0
    case .end: scroll = last
    default: break
    }
    return .stay
  }

  /// The diff's rows in a window of `room` rows (the rest: the heading, the keys).
  static func diffRoom(_ room: Int) -> Int { max(3, room - 4) }

  func lines(room: Int) -> [String] {
    let rows = Self.diffRoom(room)
    let shown = diff.dropFirst(scroll).prefix(rows)
    var out = ["- on disk    + after the save"]
    out += shown
    let below = diff.count - scroll - shown.count
    if scroll > 0 || below > 0 {
      out.append("(\(scroll) above, \(below) below: Up/Down/PgUp/PgDn scroll)")
    }
    out += ["", "Enter: save   Esc: back (nothing written)   F7: stop showing this before saves"]
    return out
  }
}
