# The seed's Queue example without the sleeps: 200,000 items to one worker process, then the sentinel.
import time
from multiprocessing import Process, Queue

def worker(q):
    while True:
        item = q.get()
        if item is None:
            break

if __name__ == "__main__":
    q = Queue()
    p = Process(target=worker, args=(q,))
    p.start()
    start = time.perf_counter()
    for i in range(200_000):
        q.put(f"Task {i}")
    q.put(None)
    p.join()
    print(time.perf_counter() - start)
