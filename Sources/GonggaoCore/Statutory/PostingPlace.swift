import Foundation

/// A place where a notice's paper copy must be posted: the township and every village its parcels
/// lie in (Implementing Regulations art. 26, 28). Each place confirms its posting separately.
public struct PostingPlace: Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case township
        case village
    }

    public var level: Level
    public var name: String

    public init(_ level: Level, _ name: String) {
        self.level = level
        self.name = name
    }

    /// `township:梅溪镇`, `village:红庙村`: how the CLI and the API name a place.
    public var id: String { "\(level.rawValue):\(name)" }
    public var description: String { id }

    /// Parses `township:NAME` or `village:NAME`.
    public init?(id: String) {
        let parts = id.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let level = Level(rawValue: parts[0]), !parts[1].trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        self.init(level, parts[1])
    }

    public static func < (a: PostingPlace, b: PostingPlace) -> Bool {
        (a.level == .township ? 0 : 1, a.name) < (b.level == .township ? 0 : 1, b.name)
    }
}

extension NoticeContent {
    /// Where this notice must be posted: the project's township, then each village of its parcels
    /// (in parcel order, each once).
    public func postingPlaces(in project: Project) -> [PostingPlace] {
        var places = [PostingPlace(.township, project.township)]
        for key in parcels {
            guard let parcel = project.parcels.first(where: { $0.key == key }) else { continue }
            let village = PostingPlace(.village, parcel.village)
            if !places.contains(village) { places.append(village) }
        }
        return places
    }
}
