// Filled in below (make bench).
print("bench")
