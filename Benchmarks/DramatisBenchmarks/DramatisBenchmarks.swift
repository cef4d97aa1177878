import Benchmark
import DramatisApp
import Foundation
import PersonaKit
import ScaleFixture
import TermUI

// The benchmarks of docs/performance.md. Run (release build):
//   DRAMATIS_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
// Configurations at scale are generated once per run into a temporary directory.

/// A generated configuration dir, made on first use.
final class FixtureDir: Sendable {
  let url: URL
  init(personas: Int, tickets: Int) {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dramatis-bench-\(personas)-\(tickets)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    do {
      try ScaleFixture(personas: personas, tickets: tickets).write(to: url)
    } catch {
      fatalError("cannot write the benchmark configuration: \(error)")
    }
  }
  var paths: ConfigPaths { ConfigPaths(global: url) }
}

let large = FixtureDir(personas: 10_000, tickets: 10_000)

/// The conductor's configuration: 1,000 personas, a track of 1,000 tickets.
let conductorFixture = FixtureDir(personas: 1_000, tickets: 1_000)

/// Loaded once: every app of a benchmark starts from it (a value: copies share it until changed).
let largeWorkspace = Workspace.load(large.paths)

/// One driver per benchmark and size, kept across iterations (made on first use, not measured).
nonisolated(unsafe) var drivers: [String: Driver] = [:]

func driver(_ name: String, _ width: Int, _ height: Int, keys: [Key] = []) -> Driver {
  let id = "\(name) \(width)x\(height)"
  if let d = drivers[id] { return d }
  let d = Driver(width: width, height: height, keys: keys)
  drivers[id] = d
  return d
}

/// The app at a size, driven key by key: every step is "the key handled and the whole frame drawn
/// into the buffer", as the run loop does it. `flush` hands the frame to a memory terminal that
/// encodes it for an xterm (the bytes a real terminal would get).
final class Driver {
  var app: DramatisApp
  let width: Int
  let height: Int
  var frame: Buffer
  let terminal: MemoryTerminal

  init(width: Int, height: Int, keys: [Key] = []) {
    app = DramatisApp(workspace: largeWorkspace)
    self.width = width
    self.height = height
    terminal = MemoryTerminal(width: width, height: height)
    terminal.encoder = FrameEncoder(features: .xterm256, monochrome: false)
    _ = app.tick()  // the validation at start
    frame = RunLoop.frame(&app, width: width, height: height, theme: .color)
    terminal.flush(frame)
    for k in keys { press(k) }
  }

  /// One key: handled, and the frame drawn into a fresh buffer.
  @inline(never)
  func press(_ key: Key) {
    _ = app.handle(key)
    frame = RunLoop.frame(&app, width: width, height: height, theme: .color)
  }

  /// The frame to the terminal: diff against the last one, encode; returns the bytes.
  @inline(never)
  func flush() -> Int {
    terminal.flush(frame)
    return terminal.lastOutput.count
  }
}

let benchmarks: @Sendable () -> Void = {
  let keyConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
    timeUnits: .microseconds, warmupIterations: 20, maxDuration: .seconds(3), maxIterations: 2000)
  // Whole runs (a load, a start, a dry run): at most 10 samples each.
  func runConfiguration(seconds: Int) -> Benchmark.Configuration {
    .init(
      metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal], timeUnits: .milliseconds,
      warmupIterations: 1, maxDuration: .seconds(seconds), maxIterations: 10)
  }

  Benchmark(
    "Load + validate + resolve every ticket (10,000 personas, 10,000 tickets)",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    let ws = Workspace.load(large.paths)
    let problems = Validator.validate(ws)
    let resolver = Resolver(ws.config)
    var resolved = 0
    for track in ws.config.tracks.values {
      for ticket in track.tickets {
        blackHole(resolver.resolve(tier: ticket.tier, track: track, ticket: ticket))
        resolved += 1
      }
    }
    precondition(problems.isEmpty && resolved == 10_000)
  }

  Benchmark(
    "Start: load + first frame (10,000 personas, 120x40)",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    var app = DramatisApp(workspace: Workspace.load(large.paths))
    blackHole(RunLoop.frame(&app, width: 120, height: 40, theme: .color))
  }

  // Saving one persona of 10,000: a save changes only that persona's bytes (TOMLEditor: the
  // file's layout, the splice, and the parse that checks the result and is kept), against writing
  // the whole file and reading it back (the save before it, and its fallback).
  let personasData = FileManager.default.contents(atPath: large.url.appendingPathComponent("personas.toml").path)!
  let personasBefore = try! TOMLParser.parse(personasData).root
  /// The personas file's values with one persona's description changed.
  func describing(_ index: Int, as text: String, in root: TOMLDict) -> TOMLDict {
    var root = root
    var all = root["personas"]!.tableValue!
    var p = all[ScaleFixture.personaName(index)]!.tableValue!
    p["description"] = .string(text)
    all[ScaleFixture.personaName(index)] = .table(p)
    root["personas"] = .table(all)
    return root
  }
  let personasAfter = describing(5_000, as: "changed by the benchmark", in: personasBefore)
  Benchmark(
    "Save: one persona of 10,000 changed, only its bytes (TOMLEditor)",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    let out = TOMLEditor.edit(personasData, from: personasBefore, to: personasAfter)
    precondition(out != nil && out!.count > personasData.count - 1_000)
    blackHole(out)
  }
  // The next save of the same file (in the editor, a run's status saves): the layout is the one
  // the last save's check read, kept with the file.
  let firstSave = TOMLEditor.edit(personasData, from: try! TOMLParser.parse(personasData), to: personasAfter)!
  let personasAgain = describing(6_000, as: "changed again", in: personasAfter)
  Benchmark(
    "Save: the next save of that file, another persona changed (TOMLEditor)",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    let out = TOMLEditor.edit(firstSave.data, from: firstSave.parsed, to: personasAgain)
    precondition(out != nil)
    blackHole(out)
  }
  Benchmark(
    "Save: one persona of 10,000 changed, the whole file written and read back",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    let text = TOMLWriter.write(personasAfter)
    blackHole(try? TOMLParser.parse(text))
  }

  // Interop (issue 22): the 1,000 personas of the conductor's fixture as the five tools' agent
  // files, made in memory (the files' writes are the file system's); then `sync --check` over
  // five targets already written: plan every file and compare it with the disk.
  let interopConfig = Workspace.load(conductorFixture.paths).config
  Benchmark(
    "Interop: export of 1,000 personas to all five formats",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    for format in AgentFormat.allCases {
      blackHole(
        try! AgentExport.files(interopConfig.personas.values, as: format, config: interopConfig, table: .shipped))
    }
  }
  let syncRoot = conductorFixture.url.appendingPathComponent("sync-targets")
  let syncTargets = AgentFormat.allCases.map {
    AgentSync.Target(
      format: $0, dir: syncRoot.appendingPathComponent($0.rawValue), personas: nil, nameStyle: nil, place: "bench")
  }
  let written = try! AgentSync.plan(syncTargets, config: interopConfig, table: .shipped, state: [:])
  _ = try! AgentSync.apply(written, paths: conductorFixture.paths, force: false)
  let syncState = AgentSync.state(conductorFixture.paths)
  Benchmark(
    "Interop: sync --check of 1,000 personas x 5 targets, nothing to do",
    configuration: runConfiguration(seconds: 10)
  ) { benchmark in
    let items = try! AgentSync.plan(syncTargets, config: interopConfig, table: .shipped, state: syncState)
    precondition(items.allSatisfy { $0.status == .current })
    blackHole(items)
  }

  // The conductor: a dry run of the whole track from `--reset` (every ticket back to todo), 4
  // workers at once — every start resolved, every request written to the tier logs (91 MB), the
  // track saved as statuses change. The logs are removed after each run (not measured).
  Benchmark(
    "Conductor: dry run of 1,000 tickets (1,000 personas, 4 at once)",
    configuration: runConfiguration(seconds: 20)
  ) { benchmark in
    let fixture = conductorFixture
    do {
      let engine = try ConductorEngine(
        workspace: Workspace.load(fixture.paths), track: "scale",  // ScaleFixture's track
        runner: DryRunRunner(), options: ConductorOptions(parallel: 4, reset: true))
      benchmark.startMeasurement()
      let summary = try await engine.run()
      benchmark.stopMeasurement()
      precondition(summary.done.count == 1_000, "\(summary.done.count) done")
    } catch {
      fatalError("the dry run failed: \(error)")
    }
    try? FileManager.default.removeItem(at: fixture.url.appendingPathComponent("logs"))
  }

  for (w, h) in [(120, 40), (250, 70)] {
    let size = "\(w)x\(h)"

    // The Persona Editor open on its list: Down moves the selection and loads the persona into
    // the form. At the end of the list, back to the top (not measured).
    Benchmark("Key: Down in the persona list of the editor (\(size))", configuration: keyConfiguration) {
      benchmark in
      let d = driver("editor list", w, h, keys: [.function(5)])
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { d.press(.down) }
    }

    Benchmark("Key: open the Persona Editor (\(size))", configuration: keyConfiguration) { benchmark in
      let d = driver("open editor", w, h)
      benchmark.startMeasurement()
      d.press(.function(5))
      benchmark.stopMeasurement()
      d.press(.function(5))
    }

    // Typing into the Description field of the editor (Tab from the list to Name, to Description).
    Benchmark("Key: type a character in a text field (\(size))", configuration: keyConfiguration) { benchmark in
      let d = driver("typing", w, h, keys: [.function(5), .tab, .tab])
      benchmark.startMeasurement()
      d.press(.char("x"))
      benchmark.stopMeasurement()
      d.press(.backspace)
    }

    // Typing into the filter of the editor's persona list (focused when it opens): every row is
    // searched. A Latin letter, and a CJK character (the rows holding its bytes searched by characters).
    for (name, c) in [("a letter", Character("w")), ("a CJK character", Character("审"))] {
      Benchmark("Key: type \(name) in the persona list's filter (\(size))", configuration: keyConfiguration) {
        benchmark in
        let d = driver("filter", w, h, keys: [.function(5)])
        benchmark.startMeasurement()
        d.press(.char(c))
        benchmark.stopMeasurement()
        d.press(.backspace)
      }
    }

    // The second character of a CJK filter: only the rows the first one matched are searched.
    Benchmark(
      "Key: type a second CJK character in the persona list's filter (\(size))", configuration: keyConfiguration
    ) {
      benchmark in
      let d = driver("filter 2", w, h, keys: [.function(5), .char("审")])
      benchmark.startMeasurement()
      d.press(.char("查"))
      benchmark.stopMeasurement()
      d.press(.backspace)
    }

    Benchmark("Key: switch screens F2 -> F3 (\(size))", configuration: keyConfiguration) { benchmark in
      let d = driver("screens", w, h)
      benchmark.startMeasurement()
      d.press(.function(3))
      benchmark.stopMeasurement()
      d.press(.function(2))
    }

    // AI Settings: Enter on the Persona field opens its dropdown of every persona.
    Benchmark("Key: open the persona dropdown of 10,000 entries (\(size))", configuration: keyConfiguration) {
      benchmark in
      let d = driver("open dropdown", w, h)
      benchmark.startMeasurement()
      d.press(.enter)
      benchmark.stopMeasurement()
      d.press(.escape)
    }

    Benchmark("Key: Down in the open persona dropdown (\(size))", configuration: keyConfiguration) { benchmark in
      let d = driver("dropdown", w, h, keys: [.enter])
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { d.press(.down) }
    }

    // The Tickets screen (F4) on the 10,000-ticket track: Down in its list loads the ticket into
    // the form beside it. At the end of the track, back to the top (not measured).
    Benchmark("Key: Down in the ticket list (\(size))", configuration: keyConfiguration) { benchmark in
      let d = driver("ticket list", w, h, keys: [.function(4), .tab])
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { d.press(.down) }
    }

    // Diff + flush: one Down of the editor's list through the memory terminal (encoded for an
    // xterm); the bytes are a metric of their own.
    Benchmark(
      "Flush: diff + encode one Down of the editor's list (\(size))",
      configuration: .init(
        metrics: [.wallClock, .mallocCountTotal, .custom("bytes")], timeUnits: .microseconds,
        warmupIterations: 20, maxDuration: .seconds(3), maxIterations: 2000)
    ) { benchmark in
      let d = driver("flush", w, h, keys: [.function(5)])
      _ = d.flush()
      d.press(.down)
      benchmark.startMeasurement()
      let n = d.flush()
      benchmark.stopMeasurement()
      benchmark.measurement(.custom("bytes"), n)
    }
  }
}
