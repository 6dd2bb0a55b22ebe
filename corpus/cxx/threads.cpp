// C++ threads: std::thread, std::atomic, std::mutex + std::condition_variable, std::async /
// std::future carrying values and exceptions across threads, std::promise, thread_local
// objects with constructors and destructors, exceptions thrown and caught inside threads.
// Printed after joins only, so the output is the same under any interleaving.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <iostream>
#include <mutex>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static std::atomic<long> atomic_counter{0};
static long plain_counter = 0;
static std::mutex mu;

struct Tracker {
  static std::atomic<int> alive, made;
  int id = -1;
  Tracker() { alive++; made++; }
  ~Tracker() { alive--; }
};
std::atomic<int> Tracker::alive{0}, Tracker::made{0};
thread_local Tracker tracker;

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main() {
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; i++)
    ts.emplace_back([i] {
      tracker.id = i;
      for (int k = 0; k < 10000; k++) {
        atomic_counter.fetch_add(1, std::memory_order_relaxed);
        std::lock_guard<std::mutex> g(mu);
        plain_counter++;
      }
    });
  for (auto &t : ts) t.join();
  ts.clear();
  std::cout << "atomic " << atomic_counter.load() << " locked " << plain_counter << '\n';
  std::cout << "thread_local objects made " << Tracker::made.load() << ", alive after joins " << Tracker::alive.load() << '\n';

  // Compare-exchange spin lock and a producer/consumer queue.
  std::atomic<int> flag{0};
  long spin_total = 0;
  for (int i = 0; i < 6; i++)
    ts.emplace_back([&] {
      for (int k = 0; k < 2000; k++) {
        int expected = 0;
        while (!flag.compare_exchange_weak(expected, 1, std::memory_order_acquire)) {
          expected = 0;
          std::this_thread::yield();
        }
        spin_total++;
        flag.store(0, std::memory_order_release);
      }
    });
  for (auto &t : ts) t.join();
  ts.clear();
  std::cout << "spin lock total " << spin_total << '\n';

  std::queue<int> q;
  std::condition_variable cv;
  bool finished = false;
  long consumed = 0;
  std::thread consumer([&] {
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      cv.wait(lk, [&] { return !q.empty() || finished; });
      while (!q.empty()) {
        consumed += q.front();
        q.pop();
      }
      if (finished) break;
    }
  });
  for (int i = 1; i <= 1000; i++) {
    std::lock_guard<std::mutex> g(mu);
    q.push(i);
    cv.notify_one();
  }
  {
    std::lock_guard<std::mutex> g(mu);
    finished = true;
  }
  cv.notify_all();
  consumer.join();
  std::cout << "condition_variable consumed " << consumed << '\n';

  // Futures: values and exceptions cross threads.
  std::vector<std::future<int>> fs;
  for (int n = 18; n < 24; n++) fs.push_back(std::async(std::launch::async, fib, n));
  for (auto &f : fs) std::cout << "fib " << f.get() << '\n';
  auto bad = std::async(std::launch::async, []() -> int { throw std::runtime_error("thrown in a thread"); });
  try {
    bad.get();
  } catch (const std::exception &e) {
    std::cout << "caught from future: " << e.what() << '\n';
  }
  std::promise<std::string> p;
  auto pf = p.get_future();
  std::thread setter([&p] { p.set_value("promise kept"); });
  std::cout << pf.get() << '\n';
  setter.join();

  // Exceptions thrown and caught inside several threads at once.
  std::atomic<int> caught{0};
  for (int i = 0; i < 6; i++)
    ts.emplace_back([&caught, i] {
      for (int k = 0; k < 50; k++) {
        try {
          if ((k + i) % 2) throw std::out_of_range("odd");
          throw std::invalid_argument("even");
        } catch (const std::logic_error &) {
          caught++;
        }
      }
    });
  for (auto &t : ts) t.join();
  std::cout << "exceptions caught in threads " << caught.load() << '\n';

  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto slept = std::chrono::steady_clock::now() - t0;
  std::cout << "sleep_for(20ms) slept at least 20ms: " << (slept >= std::chrono::milliseconds(20)) << '\n';
  std::cout << "hardware_concurrency > 0: " << (std::thread::hardware_concurrency() > 0) << '\n';
  return 0;
}
