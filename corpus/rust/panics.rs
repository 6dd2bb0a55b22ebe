// Panics: catch_unwind (with the default hook's message on stderr), a panicking thread
// seen through join, a custom hook, and then per argv[1]: an uncaught panic (exit status
// 101, the message on stderr), std::process::exit with a code, or a normal return.
use std::panic;
use std::process;
use std::thread;

struct Noisy(&'static str);
impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

fn divide(a: i32, b: i32) -> i32 {
    if b == 0 {
        panic!("division of {} by zero", a);
    }
    a / b
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();

    let r = panic::catch_unwind(|| {
        let _guard = Noisy("inside catch_unwind");
        divide(7, 0)
    });
    match r {
        Ok(v) => println!("no panic: {}", v),
        Err(payload) => println!("caught: {:?}", payload.downcast_ref::<String>()),
    }
    let r = panic::catch_unwind(|| divide(9, 3));
    println!("ok: {:?}", r.ok());

    let v: Vec<u8> = Vec::new();
    let r = panic::catch_unwind(|| v[3]);
    println!("index panic caught: {}", r.is_err());

    let t = thread::Builder::new()
        .name("doomed".into())
        .spawn(|| {
            let _guard = Noisy("thread stack");
            let none: Option<u8> = None;
            none.expect("thread expectation")
        })
        .unwrap();
    match t.join() {
        Ok(_) => println!("thread returned"),
        // expect() formats its message: the payload is a String.
        Err(payload) => println!("thread panicked: {:?}", payload.downcast_ref::<String>()),
    }

    panic::set_hook(Box::new(|info| {
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("custom hook: {:?} at {}", info.payload().downcast_ref::<&str>(), loc);
    }));
    let r = panic::catch_unwind(|| panic!("static message"));
    println!("hooked panic caught: {}", r.is_err());
    let _ = panic::take_hook();

    let overflow = panic::catch_unwind(|| {
        let x: u8 = "255".parse().unwrap();
        x.checked_add(1).ok_or("overflow").unwrap()
    });
    println!("unwrap on Err caught: {}", overflow.is_err());

    let _outer = Noisy("main's guard (an uncaught panic unwinds it, exit does not)");
    match mode.as_str() {
        "uncaught" => {
            let result: Result<u32, String> = Err("the end".into());
            println!("about to panic");
            result.unwrap();
        }
        "exit" => {
            println!("exiting with 3");
            process::exit(3);
        }
        _ => println!("normal return"),
    }
}
