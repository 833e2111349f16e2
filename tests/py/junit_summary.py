"""Parse a JUnit XML file with the standard library and print what it holds, as JSON:
the totals it declares and the totals counted from its test cases.

Usage: junit_summary.py FILE
"""

import json
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    root = ET.parse(sys.argv[1]).getroot()
    assert root.tag == "testsuites", root.tag
    cases = root.findall("./testsuite/testcase")
    print(
        json.dumps(
            {
                "declared_tests": int(root.get("tests")),
                "declared_failures": int(root.get("failures")),
                "tests": len(cases),
                "failures": sum(1 for c in cases if c.find("failure") is not None),
                "skipped": sum(1 for c in cases if c.find("skipped") is not None),
                "suites": [s.get("name") for s in root.findall("testsuite")],
                "suites_consistent": all(
                    int(s.get("tests")) == len(s.findall("testcase"))
                    and int(s.get("failures")) == len(s.findall("testcase/failure"))
                    and int(s.get("skipped")) == len(s.findall("testcase/skipped"))
                    for s in root.findall("testsuite")
                ),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
