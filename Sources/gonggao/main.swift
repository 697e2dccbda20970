print("gonggao")
