# The seed's Lock example: 5 processes x 100,000 increments of a shared Value under a Lock.
import time
from multiprocessing import Process, Value, Lock

def increment_counter(counter, lock):
    for _ in range(100000):
        lock.acquire()
        try:
            counter.value += 1
        finally:
            lock.release()

if __name__ == "__main__":
    shared_counter = Value('i', 0)
    counter_lock = Lock()
    start = time.perf_counter()
    processes = [Process(target=increment_counter, args=(shared_counter, counter_lock)) for _ in range(5)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - start
    assert shared_counter.value == 500000
    print(elapsed)
