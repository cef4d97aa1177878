/// A key press (or a paste, or a resize) as the app sees it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
  /// A typed character (wide characters included).
  case char(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case tab, backTab
  case enter, escape, backspace, delete, insert
  /// F1…F12 (and beyond, when a terminal sends them).
  case function(Int)
  /// Ctrl and a letter (`ctrl("p")`); Ctrl-I, Ctrl-M and Ctrl-[ arrive as Tab, Enter and Esc.
  case ctrl(Character)
  /// Alt (Meta) and a character: Esc followed at once by the character.
  case alt(Character)
  case ctrlLeft, ctrlRight
  /// A bracketed paste, delivered whole (newlines inside it are not Enter).
  case paste(String)
  /// The terminal changed size.
  case resize(width: Int, height: Int)

  /// The name used in help, key scripts (`dramatis render --keys`) and the gallery:
  /// `F5`, `C-p`, `S-Tab`, `Down`, `a`, `paste(…)`.
  public var description: String {
    switch self {
    case .char(" "): return "Space"
    case .char(let c): return String(c)
    case .up: return "Up"
    case .down: return "Down"
    case .left: return "Left"
    case .right: return "Right"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .home: return "Home"
    case .end: return "End"
    case .tab: return "Tab"
    case .backTab: return "S-Tab"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .backspace: return "BSpace"
    case .delete: return "Delete"
    case .insert: return "Insert"
    case .function(let n): return "F\(n)"
    case .ctrl(let c): return "C-\(c)"
    case .alt(let c): return "M-\(c)"
    case .ctrlLeft: return "C-Left"
    case .ctrlRight: return "C-Right"
    case .paste(let s): return "paste(\(s.count) chars)"
    case .resize(let w, let h): return "resize(\(w)x\(h))"
    }
  }

  /// The key for a name of `description` (`F5`, `C-p`, `S-Tab`, `Enter`…), or nil.
  public init?(name: String) {
    let table: [String: Key] = [
      "Up": .up, "Down": .down, "Left": .left, "Right": .right, "PgUp": .pageUp, "PageUp": .pageUp,
      "PgDn": .pageDown, "PageDown": .pageDown, "Home": .home, "End": .end, "Tab": .tab, "S-Tab": .backTab,
      "BTab": .backTab, "Enter": .enter, "Esc": .escape, "Escape": .escape, "BSpace": .backspace,
      "Backspace": .backspace, "Delete": .delete, "DC": .delete, "Insert": .insert, "Space": .char(" "),
      "C-Left": .ctrlLeft, "C-Right": .ctrlRight,
    ]
    if let k = table[name] {
      self = k
      return
    }
    if name.count >= 2, name.first == "F", let n = Int(name.dropFirst()), (1...24).contains(n) {
      self = .function(n)
      return
    }
    if name.count == 3, name.hasPrefix("C-"), let c = name.last, c.isLetter {
      self = .ctrl(Character(c.lowercased()))
      return
    }
    if name.count == 3, name.hasPrefix("M-"), let c = name.last {
      self = .alt(c)
      return
    }
    return nil
  }

  /// A key script: names separated by spaces; any other word is typed character by character,
  /// and `"quoted text"` types the text with its spaces. `Space` types a space.
  public static func script(_ text: String) -> [Key] {
    var keys: [Key] = []
    var i = text.startIndex
    while i < text.endIndex {
      let c = text[i]
      if c == " " {
        i = text.index(after: i)
        continue
      }
      if c == "\"" {
        let start = text.index(after: i)
        let end = text[start...].firstIndex(of: "\"") ?? text.endIndex
        keys += text[start..<end].map { Key.char($0) }
        i = end < text.endIndex ? text.index(after: end) : end
        continue
      }
      let end = text[i...].firstIndex(of: " ") ?? text.endIndex
      let word = String(text[i..<end])
      if let k = Key(name: word) {
        keys.append(k)
      } else {
        keys += word.map { Key.char($0) }
      }
      i = end
    }
    return keys
  }
}
