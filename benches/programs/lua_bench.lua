-- Benchmark script of lua_bench.c. Deterministic: its own PRNG, no pairs() over string keys in
-- the output, no errors raised and no coroutines (see lua_config.h).
local function checksum(h, s)
  for i = 1, #s do h = (h * 31 + s:byte(i)) % 4294967296 end
  return h
end

local seed = 42
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end

-- 1. recursion
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib", fib(29))

-- 2. floating point: a Mandelbrot set, counting points inside
local function mandel(size, iters)
  local inside = 0
  for y = 0, size - 1 do
    local ci = 2.0 * y / size - 1.0
    for x = 0, size - 1 do
      local cr = 2.0 * x / size - 1.5
      local zr, zi, i = 0.0, 0.0, 0
      while i < iters and zr * zr + zi * zi <= 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        i = i + 1
      end
      if i == iters then inside = inside + 1 end
    end
  end
  return inside
end
print("mandelbrot", mandel(250, 50))

-- 3. strings: formatting, concatenation, patterns
local parts = {}
for i = 1, 60000 do
  parts[#parts + 1] = string.format("%d:%s:%05.2f", i, string.rep(string.char(97 + i % 26), 1 + i % 7), i / 7)
end
local text = table.concat(parts, ",")
local h = checksum(0, text:sub(1, 100000))
local count = 0
for word in text:gmatch("%a+") do count = count + #word end
local replaced, nrep = text:gsub("(%d+):(%a+)", "%2=%1")
print("strings", #text, count, nrep, h, checksum(0, replaced:sub(-2000)))
local up = 0
for i = 1, 20000 do
  local s = ("item" .. i):upper():lower():reverse()
  if s:find("9", 1, true) then up = up + 1 end
end
print("string ops", up)

-- 4. tables: sort with and without a comparator, insert/remove
local arr = {}
for i = 1, 150000 do arr[i] = rand(1000000) end
table.sort(arr)
local s1 = 0
for i = 1, #arr, 1000 do s1 = s1 + arr[i] end
local recs = {}
for i = 1, 60000 do recs[i] = {key = rand(1000), id = i} end
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
local s2 = 0
for i = 1, #recs, 100 do s2 = (s2 * 7 + recs[i].id) % 1000000007 end
local q = {}
for i = 1, 30000 do table.insert(q, i) end
local s3 = 0
while #q > 0 do s3 = s3 + table.remove(q) end
print("tables", s1, s2, s3)

-- 5. closures and metatables
local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vec) end
Vec.__mul = function(a, k) return setmetatable({x = a.x * k, y = a.y * k}, Vec) end
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local acc = Vec.new(0, 0)
for i = 1, 300000 do acc = acc + Vec.new(i % 10, i % 7) * 2 end
local function counter()
  local c = 0
  return function(d) c = c + d; return c end
end
local total = 0
for i = 1, 2000 do
  local f = counter()
  for j = 1, 100 do total = total + f(j) end
end
print("objects", acc.x, acc.y, acc:len2(), total)

-- 6. integer arithmetic: sieve of Eratosthenes
local N = 2000000
local composite = {}
local primes = 0
for i = 2, N do
  if not composite[i] then
    primes = primes + 1
    for j = i * i, N, i do composite[j] = true end
  end
end
print("primes", primes)
