import ArgumentParser
import DramatisApp
import FoundationEssentials
import TermUI
import TermUICurses

/// Runs a TermUI app in the real terminal, restoring the terminal however it ends.
enum LiveTerminal {
  static func run<A: TerminalApp>(_ app: inout A) throws {
    let terminal: CursesTerminal
    do {
      terminal = try CursesTerminal(environment: ProcessInfo.processInfo.environment)
    } catch {
      Output.note(error.description)
      throw ExitCode(1)
    }
    let signal = RunLoop.run(&app, on: terminal, theme: terminal.isMonochrome ? .monochrome : .color)
    terminal.restore()
    if signal != 0 { throw ExitCode(128 + signal) }
  }
}

struct GalleryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gallery",
    abstract: "Every widget on one interactive screen (Tab moves the focus, F1 help, Ctrl-Q quits).")

  func run() throws {
    var app = Gallery()
    try LiveTerminal.run(&app)
  }
}

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Draw a screen headlessly after an optional key script and print the cell buffer.",
    discussion: """
      SCREEN: ai-settings, mma, tickets, gallery. Keys are names separated by spaces (F5 Tab S-Tab Enter Esc Up Down PgUp PgDn Home End \
      BSpace Delete Space C-p M-b …); other words are typed, "quoted text" types its spaces too. The output is \
      the text grid; --attributes adds the attribute layer (the snapshot format). It writes no file: a save in the \
      key script goes through every check and stops before the write (the status line says what would be saved).
      """)
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The screen to draw.") var screen: String
  @Option(help: "COLSxROWS (default 80x24).") var size: String = "80x24"
  @Option(help: "A key script to type first.") var keys: String = ""
  @Flag(help: "Use the monochrome theme (as with NO_COLOR).") var mono = false
  @Flag(help: "Print the attribute layer too.") var attributes = false

  func run() throws {
    let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 1000, parts[1] <= 1000 else {
      throw ValidationError("--size must be COLSxROWS, e.g. 120x40")
    }
    let theme: Theme = mono ? .monochrome : .color
    let buffer: Buffer
    switch screen {
    case "gallery":
      var app = Gallery()
      buffer = RunLoop.render(&app, width: parts[0], height: parts[1], keys: Key.script(keys), theme: theme)
    case "ai-settings", "mma", "tickets":
      // Every save in the key script goes through all its checks and stops before the write.
      var ws = try reporting { try global.workspace() }
      ws.rehearsal = true
      var app = DramatisApp(workspace: ws)
      let first: [Key] = screen == "mma" ? [.function(3)] : screen == "tickets" ? [.function(4)] : []
      buffer = RunLoop.render(&app, width: parts[0], height: parts[1], keys: first + Key.script(keys), theme: theme)
    default:
      throw ValidationError("unknown screen \"\(screen)\"; screens: ai-settings, mma, tickets, gallery")
    }
    print(attributes ? buffer.snapshot : buffer.textLines.joined(separator: "\n"))
  }
}
