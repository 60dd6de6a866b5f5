# The seed's Pool example without the sleep: Pool(4).map(square, range(1_000_000)).
import sys, time
from multiprocessing import Pool

def square(n):
    return n * n

if __name__ == "__main__":
    chunksize = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "default" else None
    with Pool(processes=4) as pool:
        start = time.perf_counter()
        results = pool.map(square, range(1_000_000), chunksize) if chunksize else pool.map(square, range(1_000_000))
        elapsed = time.perf_counter() - start
    assert results[999_999] == 999_999 * 999_999
    print(elapsed)
