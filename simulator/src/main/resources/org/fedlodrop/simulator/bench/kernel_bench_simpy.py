# The round pattern of `fedlodrop bench kernel` as a SimPy 2 model with empty handlers: what a user
# might write instead of fedlodrop's kernel (Debian: apt-get install python3-simpy). Every round the base
# station starts the round; each device downloads, computes and uploads (three timed holds, with
# durations that differ by device and round), then reports; the base station waits for every report
# and closes the round. Nothing is computed or recorded: it measures SimPy's event machinery alone.
#
# usage: python3 kernel_bench_simpy.py DEVICES ROUNDS REPEAT
# prints one JSON line: {"events": E, "seconds": [..], "median_s": M, "virtual_s": T, "simpy": VERSION}
# where E counts what SimPy's event list orders: each device's wake-up at the round's start and its
# three holds (4 per device and round), and the base station's wake-up and aggregation hold (2 per round).
import json
import sys
import time

import SimPy
from SimPy.Simulation import Process, SimEvent, Simulation, hold, passivate, reactivate, waitevent


class BaseStation(Process):
    def __init__(self, sim, devices):
        Process.__init__(self, name="bs", sim=sim)
        self.devices = devices
        self.reported = 0
        self.start = SimEvent(name="round", sim=sim)

    def report(self):
        self.reported += 1
        if self.reported == self.devices:
            self.sim.reactivate(self)

    def run(self, rounds):
        for _ in range(rounds):
            self.reported = 0
            self.start.signal()
            yield passivate, self
            yield hold, self, 0.05  # the server's aggregation time


class Device(Process):
    def __init__(self, sim, index):
        Process.__init__(self, name="device", sim=sim)
        self.index = index

    def run(self, station, rounds):
        k = self.index
        for r in range(rounds):
            yield waitevent, self, station.start
            yield hold, self, 1.0 + ((k * 7 + r) % 11) * 0.01   # download
            yield hold, self, 100.0 + ((k * 13 + r) % 17) * 0.1  # computation
            yield hold, self, 2.0 + ((k * 5 + r) % 13) * 0.01   # upload
            station.report()


def once(devices, rounds):
    sim = Simulation()
    sim.initialize()
    station = BaseStation(sim, devices)
    for k in range(devices):
        device = Device(sim, k)
        sim.activate(device, device.run(station, rounds))
    # The base station starts after every device waits for the first round.
    sim.activate(station, station.run(rounds), delay=0.0, prior=False)
    start = time.perf_counter()
    sim.simulate(until=1e12)
    elapsed = time.perf_counter() - start
    # Every round ran to its end: at least the computation of its slowest device, each round.
    if station.reported != devices or sim.now() < rounds * 100.0:
        raise SystemExit(json.dumps({"error": "the model stopped early at t = %g" % sim.now()}))
    return elapsed, sim.now()


def main():
    devices, rounds, repeat = (int(a) for a in sys.argv[1:4])
    runs = [once(devices, rounds) for _ in range(repeat)]
    seconds = [elapsed for elapsed, _ in runs]
    ordered = sorted(seconds)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 == 1 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    events = 4 * devices * rounds + 2 * rounds
    print(json.dumps({"events": events, "seconds": seconds, "median_s": median,
                      "virtual_s": runs[-1][1], "simpy": SimPy.__version__}))


if __name__ == "__main__":
    main()
