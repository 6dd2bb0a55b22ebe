// std::fs and std::env in the working directory: create, write, append, read, seek,
// metadata, rename, directories (listings sorted), removal and the errors of each;
// environment variables and arguments.
use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

fn kind(e: &io::Error) -> String {
    format!("{:?} (os {:?})", e.kind(), e.raw_os_error())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    println!("{} args: {:?}", args.len(), args);
    println!("arg0 is a path: {}", env::args().next().map_or(false, |a| !a.is_empty()));

    env::set_var("ZEROSYS_RUST", "value=with=equals");
    println!("var: {:?}", env::var("ZEROSYS_RUST"));
    env::remove_var("ZEROSYS_RUST");
    println!("removed: {:?}", env::var("ZEROSYS_RUST"));
    println!("LANG={:?} missing={:?}", env::var("LANG"), env::var_os("ZEROSYS_SURELY_UNSET"));
    let mut names: Vec<String> = env::vars().map(|(k, _)| k).filter(|k| k == "LANG" || k == "PATH").collect();
    names.sort();
    println!("some vars: {:?}", names);

    let dir = Path::new("rust-fs-scratch");
    fs::create_dir(dir)?;
    println!("create_dir again: {}", kind(&fs::create_dir(dir).unwrap_err()));
    fs::create_dir_all(dir.join("a/b/c"))?;

    let file = dir.join("notes.txt");
    {
        let mut f = File::create(&file)?;
        for i in 0..100 {
            writeln!(f, "line {:03} {}", i, "x".repeat(i % 7))?;
        }
        f.sync_all()?;
    }
    let mut f = OpenOptions::new().append(true).open(&file)?;
    f.write_all(b"appended\n")?;
    drop(f);
    let meta = fs::metadata(&file)?;
    println!("size {} file {} dir {} readonly {}", meta.len(), meta.is_file(), meta.is_dir(), meta.permissions().readonly());

    let text = fs::read_to_string(&file)?;
    println!("lines {} last {:?}", text.lines().count(), text.lines().last());
    let reader = BufReader::new(File::open(&file)?);
    let long = reader.lines().filter_map(Result::ok).filter(|l| l.len() > 14).count();
    println!("long lines {}", long);

    let mut f = OpenOptions::new().read(true).write(true).open(&file)?;
    f.seek(SeekFrom::Start(5))?;
    f.write_all(b"###")?;
    let end = f.seek(SeekFrom::End(-9))?;
    let mut tail = String::new();
    f.read_to_string(&mut tail)?;
    println!("end-9 at {} reads {:?}", end, tail);
    f.set_len(20)?;
    drop(f);
    println!("truncated: {:?}", fs::read(&file)?);

    let moved = dir.join("a/b/moved.txt");
    fs::rename(&file, &moved)?;
    println!("old exists {} new exists {}", file.exists(), moved.exists());
    // fs::copy: copy_file_range on Linux (glibc and musl builds alike), then the permissions.
    let copied = fs::copy(&moved, dir.join("copy.bin"))?;
    println!("copied {} bytes: {:?}", copied, fs::read(dir.join("copy.bin"))? == fs::read(&moved)?);
    fs::write(dir.join("a/empty"), b"")?;

    let mut listing: Vec<String> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let ty = entry.file_type()?;
            if ty.is_dir() {
                stack.push(entry.path());
            }
            listing.push(format!("{}{}", entry.path().display(), if ty.is_dir() { "/" } else { "" }));
        }
    }
    listing.sort();
    println!("tree:\n  {}", listing.join("\n  "));

    println!("open missing: {}", kind(&File::open(dir.join("nope")).unwrap_err()));
    println!("remove_dir non-empty: {}", kind(&fs::remove_dir(dir.join("a")).unwrap_err()));
    println!("read dir as file: {}", kind(&fs::read_to_string(dir).unwrap_err()));
    println!("canonical name: {:?}", fs::canonicalize(dir.join("a/b/../b/c"))?.file_name());

    fs::remove_file(&moved)?;
    println!("remove again: {}", kind(&fs::remove_file(&moved).unwrap_err()));
    // remove_dir_all deletes in readdir order, which under qemu is the host filesystem's (ext4
    // hashes names): the files go first, in sorted order, so it walks a chain of directories.
    remove_files_sorted(dir)?;
    fs::remove_dir_all(dir)?;
    println!("gone: {}", !dir.exists());
    Ok(())
}

/// Remove every non-directory below `dir`, in sorted order of their paths.
fn remove_files_sorted(dir: &Path) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    for path in entries {
        if fs::symlink_metadata(&path)?.is_dir() {
            remove_files_sorted(&path)?;
        } else {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}
