import Foundation
import ScaleFixture

// make-scale-config DIR [--personas N] [--tickets N] [--presets N]
// Writes a configuration at scale into DIR (see ScaleFixture), for the pty measurements.
func parse(_ arguments: [String]) -> (dir: String, fixture: ScaleFixture)? {
  var args = arguments
  func option(_ name: String, _ fallback: Int) -> Int? {
    guard let i = args.firstIndex(of: name) else { return fallback }
    guard i + 1 < args.count, let v = Int(args[i + 1]) else { return nil }
    args.removeSubrange(i...(i + 1))
    return v
  }
  guard let personas = option("--personas", 1000), let tickets = option("--tickets", 1000),
    let presets = option("--presets", 100), args.count == 1
  else { return nil }
  return (args[0], ScaleFixture(personas: personas, tickets: tickets, presets: presets))
}

guard let (dir, fixture) = parse(Array(CommandLine.arguments.dropFirst())) else {
  FileHandle.standardError.write(Data("usage: make-scale-config DIR [--personas N] [--tickets N] [--presets N]\n".utf8))
  exit(2)
}
do {
  try fixture.write(to: URL(fileURLWithPath: dir))
  print("wrote \(dir): \(fixture.personas) personas, \(fixture.tickets) tickets, \(fixture.presets) presets")
} catch {
  FileHandle.standardError.write(Data("make-scale-config: \(error)\n".utf8))
  exit(1)
}
