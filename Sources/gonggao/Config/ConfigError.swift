/// A config file that cannot be used: names the file and the key path (`channels[2].url`).
struct ConfigError: Error, Equatable, CustomStringConvertible {
    var file: String
    var message: String

    init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    init(file: String, path: String, _ message: String) {
        self.init(file: file, "\(path): \(message)")
    }

    var description: String { "\(file): \(message)" }
}
