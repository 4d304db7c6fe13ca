#!/usr/bin/env python3
"""Checks a SARIF document against the required fields of the SARIF 2.1.0 schema
(sarifLog, run, tool, toolComponent, reportingDescriptor, result, message,
location, artifactLocation) plus stateguard's own promises. Usage: sarif_check.py FILE"""
import json
import sys


def fail(msg):
    print("SARIF check failed: " + msg)
    sys.exit(1)


def check(doc):
    if doc.get("version") != "2.1.0":
        fail("version must be 2.1.0")
    if not isinstance(doc.get("runs"), list):
        fail("runs must be an array")
    for run in doc["runs"]:
        driver = run.get("tool", {}).get("driver")
        if not isinstance(driver, dict) or not isinstance(driver.get("name"), str):
            fail("runs[].tool.driver.name is required")
        rules = driver.get("rules", [])
        ids = []
        for r in rules:
            if not isinstance(r.get("id"), str):
                fail("rules[].id is required")
            if not r.get("help", {}).get("text"):
                fail("rule %s has no help text" % r["id"])
            ids.append(r["id"])
        if len(ids) != len(set(ids)):
            fail("one rule per rule id")
        for res in run.get("results", []):
            if not isinstance(res.get("message", {}).get("text"), str):
                fail("results[].message.text is required")
            if res.get("ruleId") not in ids:
                fail("result ruleId %r is not among the rules" % res.get("ruleId"))
            if "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                fail("ruleIndex does not point at ruleId")
            if res.get("level") not in ("none", "note", "warning", "error"):
                fail("bad level %r" % res.get("level"))
            locs = res.get("locations")
            if not locs:
                fail("results[].locations must not be empty")
            for loc in locs:
                uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
                if not isinstance(uri, str) or not uri or uri.startswith("/") or " " in uri:
                    fail("locations[].physicalLocation.artifactLocation.uri must be a relative URI: %r" % uri)


with open(sys.argv[1]) as f:
    check(json.load(f))
print("SARIF ok")
