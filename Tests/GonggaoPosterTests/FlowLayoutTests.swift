import Foundation
import Testing

@testable import GonggaoPoster

/// Pagination alone: heights in, placements out.
@Suite struct FlowLayoutTests {
    // Pages 0…150 high: full-width blocks end at 100 (the QR block below), narrow ones (60 wide) at 150.
    // The first page starts at 40, under the header.
    static let later = FlowLayout.Frame(
        top: 0, fullBottom: 100, narrowBottom: 150, fullX: 0, fullWidth: 100,
        narrowX: 0, narrowWidth: 60)
    static var first: FlowLayout.Frame {
        var f = later
        f.top = 40
        return f
    }
    static let layout = FlowLayout(firstPage: first, laterPages: later)

    @Test func paragraphsSplitBetweenLinesAndStopAboveTheQRBlock() throws {
        let items = [FlowLayout.Item(content: .lines(Array(repeating: 10, count: 15)), fullWidth: true)]
        let (placements, pages) = try Self.layout.paginate(items)
        #expect(pages == 2)
        #expect(placements.map(\.part) == [.lines(0..<6), .lines(6..<15)])
        #expect(placements[1].y == 0)
        #expect(placements.allSatisfy { $0.width == 100 })
    }

    @Test func tablesRunOnBesideTheQRAndContinueOnLaterPagesWithTheirHeading() throws {
        let items = [
            FlowLayout.Item(
                content: .rows(heading: 5, continuedHeading: 6, header: 5, rows: Array(repeating: 10, count: 22)),
                fullWidth: false)
        ]
        let (placements, pages) = try Self.layout.paginate(items)
        #expect(pages == 2)
        // Page 1: 110 high (40…150): heading + header + 10 rows; page 2: 150: continued heading + header + 13 rows.
        #expect(placements.map(\.part) == [.rows(0..<10, continued: false), .rows(10..<22, continued: true)])
        #expect(placements.map(\.page) == [0, 1])
        #expect(placements.allSatisfy { $0.width == 60 })
    }

    @Test func boxesNeverSplitAndMoveToTheNextPage() throws {
        let items = [
            FlowLayout.Item(content: .lines([10, 10, 10, 10, 10]), fullWidth: true),
            FlowLayout.Item(content: .box(70), fullWidth: false, spaceBefore: 3),
        ]
        let (placements, pages) = try Self.layout.paginate(items)
        #expect(placements[1].part == .box)
        // 90 + 3 + 70 > 150: top of page 2, without the space before.
        #expect(placements[1].page == 1 && placements[1].y == 0)
        #expect(pages == 2)
    }

    @Test func aFullWidthBlockAfterANarrowOneBesideTheQRGoesToTheNextPage() throws {
        let items = [
            FlowLayout.Item(content: .box(80), fullWidth: false),
            FlowLayout.Item(content: .lines([10]), fullWidth: true),
        ]
        let (placements, _) = try Self.layout.paginate(items)
        #expect(placements[1].page == 1)
    }

    @Test func keepWithNextCarriesTheLastLineAlong() throws {
        let items = [
            FlowLayout.Item(content: .lines([10, 10, 10, 10, 10]), fullWidth: true, keepWithNext: true),
            FlowLayout.Item(content: .box(20), fullWidth: true),
        ]
        // 60 high on page 1: five lines fit (50) but the box does not; the last line moves with it.
        let (placements, _) = try Self.layout.paginate(items)
        #expect(placements.map(\.part) == [.lines(0..<4), .lines(4..<5), .box])
        #expect(placements[1].page == 1 && placements[2].page == 1)
    }

    @Test func noOrphanedFirstLine() throws {
        let items = [
            FlowLayout.Item(content: .lines([10, 10, 10, 10, 10]), fullWidth: true),
            FlowLayout.Item(content: .lines([10, 10, 10]), fullWidth: true),
        ]
        let (placements, _) = try Self.layout.paginate(items)
        // One line would fit after the first paragraph on page 1; the whole paragraph moves instead.
        #expect(placements.map(\.part) == [.lines(0..<5), .lines(0..<3)])
        #expect(placements[1].page == 1)
    }

    @Test func aBlockTallerThanAPageIsAnError() {
        #expect(throws: FlowLayout.TooTall(item: 0, height: 120, available: 100)) {
            try Self.layout.paginate([FlowLayout.Item(content: .box(120), fullWidth: true)])
        }
        #expect(throws: FlowLayout.TooTall(item: 0, height: 160, available: 150)) {
            try Self.layout.paginate([FlowLayout.Item(content: .box(160), fullWidth: false)])
        }
    }

    @Test func spaceBeforeIsDroppedAtTheTopOfAPage() throws {
        let items = [
            FlowLayout.Item(content: .lines([10]), fullWidth: true, spaceBefore: 7),
            FlowLayout.Item(content: .lines([10]), fullWidth: true, spaceBefore: 7),
        ]
        let (placements, _) = try Self.layout.paginate(items)
        #expect(placements[0].y == 40)
        #expect(placements[1].y == 57)
    }
}

@Suite struct ScopeMapTests {
    @Test func roundScalesAndBars() {
        #expect(ScopeMap.roundScale(atLeast: 4321) == 5000)
        #expect(ScopeMap.roundScale(atLeast: 5000) == 5000)
        #expect(ScopeMap.roundScale(atLeast: 10_001) == 12_500)
        #expect(ScopeMap.roundLength(atMost: 140) == 100)
        #expect(ScopeMap.roundLength(atMost: 260) == 200)
        #expect(ScopeMap.roundLength(atMost: 999) == 500)
    }

    @Test func parcelsAreDrawnToScale() throws {
        let parcels = Fixtures.sampleParcels
        let frame = Rect(x: 100, y: 200, width: 280, height: 160)
        let map = ScopeMap(parcels: parcels, frame: frame, padding: 10)
        // Everything inside the frame.
        for shape in map.shapes {
            for p in shape.rings[0] { #expect(frame.contains(Rect(x: p.x, y: p.y, width: 0, height: 0))) }
        }
        // Ground distance along the first parcel's south edge (≈ 153 m) matches paper distance × scale.
        let ring = map.shapes[0].rings[0]
        let paperPoints = hypot(ring[1].x - ring[0].x, ring[1].y - ring[0].y)
        let paperMetres = paperPoints / 72 * 0.0254
        let lon = parcels[0].boundary.coordinates[0]
        let k = Double.pi / 180 * ScopeMap.earthRadius
        let lat0 = (30.7600 + 30.7618) / 2 * .pi / 180
        let ground = hypot((lon[1][0] - lon[0][0]) * cos(lat0) * k, (lon[1][1] - lon[0][1]) * k)
        #expect(abs(paperMetres * Double(map.denominator) - ground) / ground < 0.01)
        // North is up: the northern vertex has the smaller y.
        #expect(ring[2].y < ring[1].y)
        // Scale bar: its length stands for its metres at the map's scale.
        #expect(abs(map.scaleBarLength / 72 * 0.0254 * Double(map.denominator) - Double(map.scaleBarMetres)) < 0.01)
    }
}
