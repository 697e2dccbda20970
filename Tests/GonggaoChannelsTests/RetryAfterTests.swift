import Foundation
import Testing

@testable import GonggaoChannels

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func seconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:51:37 GMT", "Sunday, 06-Nov-94 08:51:37 GMT", "Sun Nov  6 08:51:37 1994"])
    func httpDates(_ text: String) {
        #expect(RetryAfter.parse(text, now: now) == .seconds(120))
    }

    @Test func pastDateIsZero() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994"])
    func invalid(_ text: String) {
        #expect(RetryAfter.parse(text, now: now) == nil)
    }

    @Test func responseHeaderLookupIsCaseInsensitive() {
        let response = HTTPResponse(status: 503, headers: [("retry-after", "7")])
        #expect(response.retryAfter(now: now) == .seconds(7))
    }
}
