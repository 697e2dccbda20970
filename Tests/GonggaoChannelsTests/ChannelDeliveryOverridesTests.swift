import Foundation
import GonggaoCore
import Testing

@testable import GonggaoChannels

/// `channels[i].delivery`: per-channel lane limits and retry policy, checked with the key path.
@Suite struct ChannelDeliveryOverridesTests {
    struct File: Decodable { var channels: [ChannelConfig] }

    static func config(_ delivery: String) -> String {
        """
        {"channels": [
          {"name": "print", "type": "print"},
          {"name": "provincial-portal", "type": "provincial-portal", "url": "https://zqgk.zj.gov.cn/api",
           "signing": {"secrets": [{"env": "GG_PROVINCIAL"}]}},
          {"name": "county-column", "type": "county-column", "url": "https://www.anji.gov.cn/zdlygk",
           "signing": {"secrets": [{"env": "GG_COUNTY"}]}, "credential": {"env": "GG_COUNTY_TOKEN"},
           "county": {"orgCode": "000014349"}, "delivery": \(delivery)}
        ]}
        """
    }

    private func decode(_ text: String) throws(JSONInput.Failure) -> [ChannelConfig] {
        try JSONInput.decode(File.self, from: Data(text.utf8), source: "gonggao.json").channels
    }

    @Test func decodesEveryKey() throws {
        let channels = try decode(Self.config("""
            {"concurrency": 2, "ratePerSecond": 5, "breakerThreshold": 3, "breakerCooldownSeconds": 30,
             "retryScheduleSeconds": [0, 10, 600], "retryJitter": 0.1, "leaseSeconds": 120}
            """))
        #expect(channels[1].delivery == nil)
        #expect(channels[2].delivery == ChannelConfig.DeliveryOverrides(
            concurrency: 2, ratePerSecond: 5, breakerThreshold: 3, breakerCooldownSeconds: 30,
            retryScheduleSeconds: [0, 10, 600], retryJitter: 0.1, leaseSeconds: 120))
        try channels[2].validate(path: channels[2].keyPath)
    }

    @Test(arguments: [
        (#"{"concurrency": 0}"#, "channels[2].delivery.concurrency", "must be 1…256, not 0"),
        (#"{"ratePerSecond": 0}"#, "channels[2].delivery.ratePerSecond", "must be 0.01…100000.0"),
        (#"{"breakerThreshold": 5000}"#, "channels[2].delivery.breakerThreshold", "must be 1…1000"),
        (#"{"retryJitter": 1.5}"#, "channels[2].delivery.retryJitter", "must be 0.0…0.9"),
        (#"{"retryScheduleSeconds": [0, -1]}"#, "channels[2].delivery.retryScheduleSeconds[1]", "must be 0…604800 seconds"),
        (#"{"leaseSeconds": 0}"#, "channels[2].delivery.leaseSeconds", "must be 1.0…86400.0"),
        (#"{"concurency": 2}"#, "channels[2].delivery.concurency", "unknown key"),
    ])
    func refusesABadValueNamingItsKey(delivery: String, key: String, message: String) {
        do {
            _ = try decode(Self.config(delivery))
            Issue.record("\(delivery) was accepted")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    @Test func validateNamesTheKeyOfAValueBuiltInCode() {
        var channel = ChannelConfig(name: "print", type: "print")
        channel.delivery = ChannelConfig.DeliveryOverrides(retryScheduleSeconds: [5, 700_000])
        #expect(throws: ValidationError.self) { try channel.validate(path: "channels[0]") }
        do {
            try channel.validate(path: "channels[0]")
        } catch {
            #expect("\(error)".contains("channels[0].delivery.retryScheduleSeconds[1]"), "\(error)")
        }
    }
}
