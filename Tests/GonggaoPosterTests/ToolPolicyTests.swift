import Testing

/// The checkers' policy: under CI a test that needs a missing tool runs and fails, it never skips.
@Suite struct ToolPolicyTests {
    @Test func underCIAMissingCheckerRunsAndFailsLoudly() throws {
        #expect(Tools.isCI(["CI": "true"]) && Tools.isCI(["CI": "1"]))
        #expect(!Tools.isCI([:]) && !Tools.isCI(["CI": "false"]))
        #expect(Tools.shouldRun(installed: false, ci: true))
        #expect(!Tools.shouldRun(installed: false, ci: false))
        let error = #expect(throws: Tools.Failure.self) { try Tools.run("gonggao-no-such-checker", []) }
        #expect(error?.description.contains("is not installed") == true)
    }
}
