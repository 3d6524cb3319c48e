import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets a fixture see whether the test body failed (item.rep_call), e.g. to keep a screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
