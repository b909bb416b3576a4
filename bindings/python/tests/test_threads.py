"""One campaign shared by several Python threads: the library runs each call alone on the
handle, so every record gets its own sequence number and none is lost; errors stay per thread;
closing while other threads use the campaign is safe."""

import threading
import unittest

import chuangzheng
import support
from chuangzheng import CampaignClosed
from support import AS_OF, CADRES, HOUSEHOLD, VILLAGE

THREADS = 8
EACH = 25


def run_threads(target, count=THREADS):
    barrier = threading.Barrier(count)
    errors = []

    def body(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as e:  # reported by the test, not lost in the thread
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


class SharedCampaign(unittest.TestCase):
    def test_threads_record_receptions_and_visits(self):
        with support.scenario_campaign() as c:
            start = c.seq
            receptions = len(c.state()["receptions"])
            seqs = [[] for _ in range(THREADS)]

            def work(i):
                for n in range(EACH):
                    if n % 2:
                        seq = c.record_visit(AS_OF, VILLAGE, CADRES[i % 4], HOUSEHOLD)
                    else:
                        seq = c.record_reception(AS_OF, VILLAGE, VILLAGE, CADRES[: 1 + i % 4], 1 + n)
                    seqs[i].append(seq)

            self.assertEqual(run_threads(work), [])
            self.assertEqual(c.seq, start + THREADS * EACH)
            every = sorted(s for per in seqs for s in per)
            self.assertEqual(every, list(range(start + 1, start + THREADS * EACH + 1)))
            for per in seqs:  # each thread sees its own records in order
                self.assertEqual(per, sorted(per))
            self.assertEqual(len(c.state()["receptions"]), receptions + THREADS * ((EACH + 1) // 2))

    def test_errors_stay_with_their_thread(self):
        with support.scenario_campaign() as c:
            start = c.seq

            def work(i):
                for n in range(EACH):
                    if i % 2:
                        with self_assert_raises(chuangzheng.Refused) as e:
                            c.pledge(f"nope-{i}-{n}")
                        assert e.error.code == 3002
                        assert f"nope-{i}-{n}" in e.error.message, e.error.message
                        assert chuangzheng.last_error() == (3002, e.error.message)
                    else:
                        c.execute(
                            support.command(
                                AS_OF, VILLAGE, "record_visit", {"cadre": CADRES[0], "household": HOUSEHOLD}
                            )
                        )

            self.assertEqual(run_threads(work), [])
            self.assertEqual(c.seq, start + (THREADS // 2) * EACH)

    def test_close_while_other_threads_call(self):
        c = support.scenario_campaign()
        done = []
        closed_seen = []

        def work(i):
            if i == 0:
                c.close()
                return
            for _ in range(EACH):
                try:
                    c.report(as_of=AS_OF, format="text")
                    done.append(i)
                except CampaignClosed:
                    closed_seen.append(i)
                    return

        self.assertEqual(run_threads(work), [])
        self.assertTrue(c.closed)
        with self.assertRaises(CampaignClosed):
            c.seq


class self_assert_raises:
    """A minimal assertRaises for worker threads (TestCase methods are not thread-safe)."""

    def __init__(self, cls):
        self.cls = cls
        self.error = None

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            raise AssertionError(f"{self.cls.__name__} not raised")
        if not issubclass(kind, self.cls):
            return False
        self.error = value
        return True


if __name__ == "__main__":
    unittest.main()
